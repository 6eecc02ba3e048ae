#include "report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/json_lines.h"

namespace gl::report {

std::string html_escape(const std::string& text) {
  const std::string s = valid_utf8(text);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        out += c;
    }
  }
  return out;
}

double Scale::operator()(double v) const {
  if (!(d1 - d0 > 0) && !(d1 - d0 < 0)) return (r0 + r1) / 2;
  return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
}

std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "?";
  std::string s = fmt::format(FMT_STRING("{:.{}f}"), v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

namespace {

std::string open_svg(const std::string& title, double height = kHeight) {
  return fmt::format(FMT_STRING("<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
                                "preserveAspectRatio=\"xMidYMid meet\"><title>{}</title>"),
                     num(kWidth), num(height), html_escape(title));
}

// Round-ish ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int n = 4) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / n;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(t);
  return out;
}

std::string y_axis(const Scale& y, const std::string& label) {
  std::string s;
  for (double t : ticks(y.d0, y.d1)) {
    s += fmt::format(
        FMT_STRING("<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
                   "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"),
        num(kLeft), num(kWidth - kRight), num(y(t)), num(y(t)), num(kLeft - 4), num(y(t) + 4),
        num(t, 2));
  }
  s += fmt::format(FMT_STRING("<text class=\"axis\" x=\"12\" y=\"{}\" transform=\"rotate(-90 12 "
                              "{})\" text-anchor=\"middle\">{}</text>"),
                   num(kHeight / 2), num(kHeight / 2), html_escape(label));
  return s;
}

}  // namespace

std::string line_chart(const std::vector<SeriesPoint>& points, bool band, const std::string& title,
                       const std::string& y_label) {
  if (points.empty()) return "";
  double xlo = points.front().x, xhi = xlo, ylo = points.front().y, yhi = ylo;
  for (const auto& p : points) {
    xlo = std::min(xlo, p.x);
    xhi = std::max(xhi, p.x);
    ylo = std::min({ylo, p.y, band ? p.low : p.y});
    yhi = std::max({yhi, p.y, band ? p.high : p.y});
  }
  const double pad = yhi > ylo ? (yhi - ylo) * 0.08 : std::max(1.0, std::fabs(yhi) * 0.1);
  const Scale x{xlo, xhi, kLeft + 8, kWidth - kRight - 8};
  const Scale y{ylo - pad, yhi + pad, kHeight - kBottom, kTop};
  std::string s = open_svg(title) + y_axis(y, y_label);
  if (band && points.size() > 1) {
    std::string d;
    for (const auto& p : points) d += (d.empty() ? "M" : "L") + num(x(p.x)) + "," + num(y(p.high));
    for (auto it = points.rbegin(); it != points.rend(); ++it)
      d += "L" + num(x(it->x)) + "," + num(y(it->low));
    s += "<path class=\"band\" d=\"" + d + "Z\"/>";
  }
  if (points.size() > 1) {
    std::string d;
    for (const auto& p : points) d += (d.empty() ? "M" : "L") + num(x(p.x)) + "," + num(y(p.y));
    s += "<path class=\"line\" d=\"" + d + "\"/>";
  }
  // x labels at least 80 px apart, a repeated label once; the first starts and the last ends
  // at its point, so neither leaves the canvas.
  double last_label_x = -1e9;
  std::string last_label;
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (band)
      s += fmt::format(FMT_STRING("<line class=\"whisker\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" "
                                  "y2=\"{2}\"/>"),
                       num(x(p.x)), num(y(p.low)), num(y(p.high)));
    s += fmt::format(FMT_STRING("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}: "
                                "{}</title></circle>"),
                     num(x(p.x)), num(y(p.y)), points.size() > 60 ? "1.5" : "3.5",
                     html_escape(p.label), num(p.y));
    if (x(p.x) - last_label_x >= 80 && p.label != last_label) {
      const char* anchor = i == 0 ? "start" : x(p.x) > kWidth - kRight - 40 ? "end" : "middle";
      s += fmt::format(FMT_STRING("<text class=\"tick\" x=\"{}\" y=\"{}\" "
                                  "text-anchor=\"{}\">{}</text>"),
                       num(x(p.x)), num(kHeight - kBottom + 16), anchor, html_escape(p.label));
      last_label_x = x(p.x);
      last_label = p.label;
    }
  }
  return s + "</svg>";
}

std::string scatter_chart(const std::vector<std::pair<double, double>>& points,
                          const std::string& title, const std::string& what) {
  if (points.empty()) return "";
  double lo = 1e300, hi = 0;
  for (const auto& [p, a] : points)
    for (double v : {p, a})
      if (v > 0) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  if (!(hi > 0)) lo = hi = 1;
  const double l0 = std::floor(std::log10(lo)), l1 = std::max(l0 + 1, std::ceil(std::log10(hi)));
  const double floor_value = std::pow(10, l0);
  const auto lg = [&](double v) { return std::log10(std::max(floor_value, v)); };
  const double side = kHeight - kTop - kBottom;
  const Scale x{l0, l1, kLeft, kLeft + side};
  const Scale y{l0, l1, kHeight - kBottom, kTop};
  std::string s = open_svg(title);
  for (double t = l0; t <= l1; t += 1) {
    const std::string label = num(std::pow(10, t), std::max(0, static_cast<int>(-t)));
    s += fmt::format(
        FMT_STRING("<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>"
                   "<line class=\"grid\" x1=\"{3}\" x2=\"{3}\" y1=\"{4}\" y2=\"{5}\"/>"
                   "<text class=\"tick\" x=\"{6}\" y=\"{7}\" text-anchor=\"end\">{8}</text>"
                   "<text class=\"tick\" x=\"{3}\" y=\"{9}\" text-anchor=\"middle\">{8}</text>"),
        num(kLeft), num(kLeft + side), num(y(t)), num(x(t)), num(kTop), num(kHeight - kBottom),
        num(kLeft - 4), num(y(t) + 4), label, num(kHeight - kBottom + 16));
  }
  s += fmt::format(FMT_STRING("<line class=\"diagonal\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"),
                   num(x(l0)), num(y(l0)), num(x(l1)), num(y(l1)));
  for (const auto& [p, a] : points) {
    s += fmt::format(FMT_STRING("<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>"
                                "predicted {}, actual {}</title></circle>"),
                     num(x(lg(p))), num(y(lg(a))), num(p, p < 1 ? 4 : 0), num(a, a < 1 ? 4 : 0));
  }
  s += fmt::format(FMT_STRING("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">"
                              "predicted {}</text><text class=\"axis\" x=\"{}\" y=\"{}\">"
                              "actual {} (up: better than predicted)</text>"),
                   num(kLeft + side / 2), num(kHeight - 4), html_escape(what),
                   num(kLeft + side + 16), num(kHeight / 2), html_escape(what));
  return s + "</svg>";
}

std::string heatmap(const std::vector<HeatmapCell>& cells, double scale, const std::string& title) {
  if (cells.empty()) return "";
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const double left = 40, top = 18, cw = (kWidth - left - 4) / 24, ch = 26;
  const double height = top + 7 * ch + 6;
  std::string s = open_svg(title, height);
  for (int h = 0; h < 24; h += 3)
    s += fmt::format(FMT_STRING("<text class=\"tick\" x=\"{}\" y=\"12\" "
                                "text-anchor=\"middle\">{:02d}</text>"),
                     num(left + (h + 0.5) * cw), h);
  for (int d = 0; d < 7; ++d) {
    s += fmt::format(
        FMT_STRING("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"),
        num(left - 4), num(top + (d + 0.5) * ch + 4), kDays[d]);
    for (int h = 0; h < 24; ++h)
      s += fmt::format(FMT_STRING("<rect class=\"empty\" x=\"{}\" y=\"{}\" width=\"{}\" "
                                  "height=\"{}\"/>"),
                       num(left + h * cw + 0.5), num(top + d * ch + 0.5), num(cw - 1), num(ch - 1));
  }
  const double sat = scale > 0 ? scale : 1;
  for (const auto& c : cells) {
    if (c.row < 0 || c.row > 6 || c.col < 0 || c.col > 23) continue;
    const double v = std::clamp(c.value / sat, -1.0, 1.0);
    // Orange for better than the account's mean, blue for worse; grey-ish when near 0.
    const int r = v >= 0 ? 230 : static_cast<int>(230 + v * 190);
    const int g = v >= 0 ? static_cast<int>(230 - v * 110) : static_cast<int>(230 + v * 110);
    const int b = v >= 0 ? static_cast<int>(230 - v * 200) : 230;
    const double opacity = 0.25 + 0.75 * std::clamp(c.sureness, 0.0, 1.0);
    const double x = left + c.col * cw + 0.5, y = top + c.row * ch + 0.5;
    s += fmt::format(
        FMT_STRING("<g class=\"cell\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                   "fill=\"rgb({},{},{})\" fill-opacity=\"{}\"/><text class=\"cell-text\" "
                   "x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><title>{}</title></g>"),
        num(x), num(y), num(cw - 1), num(ch - 1), r, g, b, num(opacity), num(x + cw / 2),
        num(y + ch / 2 + 4), html_escape(c.text), html_escape(c.title));
  }
  return s + "</svg>";
}

std::string interval_chart(const std::vector<IntervalRow>& rows, const std::string& title) {
  if (rows.empty()) return "";
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    lo = std::min({lo, r.low, r.point});
    hi = std::max({hi, r.high, r.point});
  }
  const double row_h = 22, top = 8, label_w = 170;
  const double height = top + rows.size() * row_h + 24;
  const Scale x{lo, hi > lo ? hi : lo + 1, label_w, kWidth - kRight};
  std::string s = open_svg(title, height);
  s += fmt::format(FMT_STRING("<line class=\"zero\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"),
                   num(x(0)), num(top), num(height - 20));
  for (double t : ticks(x.d0, x.d1))
    s += fmt::format(
        FMT_STRING("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"),
        num(x(t)), num(height - 6), num(t, 2));
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double y = top + (i + 0.5) * row_h;
    std::string label = r.label;
    if (label.size() > 26) {
      size_t n = 25;  // cut on a UTF-8 character boundary
      while (n > 0 && (static_cast<unsigned char>(label[n]) & 0xC0) == 0x80) --n;
      label = label.substr(0, n) + "…";
    }
    s += fmt::format(
        FMT_STRING(
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
            "<line class=\"{}\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
            "<circle class=\"dot\" cx=\"{}\" cy=\"{}\" r=\"4\"><title>{}: {} ({} to {})</title>"
            "</circle>"),
        num(label_w - 6), num(y + 4), html_escape(label), r.solid ? "interval" : "interval weak",
        num(x(r.low)), num(x(r.high)), num(y), num(y), num(x(r.point)), num(y),
        html_escape(r.label), num(r.point), num(r.low), num(r.high));
  }
  return s + "</svg>";
}

}  // namespace gl::report
