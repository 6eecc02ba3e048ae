// Inline SVG charts the report draws itself (no script, no network): a line
// with an interval band, a time series, a scatter against y = x, a weekday x
// hour heatmap, and intervals around zero. Pure: data in, markup out. Every
// text in a chart goes through html_escape.
#pragma once

#include <string>
#include <vector>

namespace gl::report {

// Text safe inside an element or a quoted attribute: & < > " ' escaped,
// invalid UTF-8 replaced, control characters but tab and newline dropped.
std::string html_escape(const std::string& text);

// A linear map from a data range to a pixel range; a degenerate data range
// maps to the middle of the pixel range.
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const;
};

// A number as a chart writes it: at most `decimals`, no trailing zeros, never
// "nan" or "inf" (those are "?").
std::string num(double v, int decimals = 2);

struct SeriesPoint {
  double x = 0, y = 0, low = 0, high = 0;  // low/high: the interval band, when drawn
  std::string label;                       // the x axis label and the point's title
};

// Lines of a chart's canvas, shared by the drawers: viewBox 0 0 kWidth kHeight.
inline constexpr double kWidth = 640, kHeight = 260, kLeft = 52, kRight = 12, kTop = 12,
                        kBottom = 36;

// A line through the points, with the band [low, high] when `band`. Empty
// when there are no points.
std::string line_chart(const std::vector<SeriesPoint>& points, bool band, const std::string& title,
                       const std::string& y_label);

// Predicted (x) against actual (y), both axes on one log10 scale, with y = x.
// Values at or below 0 sit on the axis' lowest decade. `what` names the quantity.
std::string scatter_chart(const std::vector<std::pair<double, double>>& points,
                          const std::string& title, const std::string& what = "views");

struct HeatmapCell {
  int row = 0, col = 0;  // row: weekday 0-6 (Sunday first); col: hour 0-23
  double value = 0;      // effect: negative blue, positive orange
  double sureness = 0;   // 0..1: the cell's opacity
  std::string text, title;
};

// 7 rows x 24 columns; `scale` is the |value| that saturates the colour.
std::string heatmap(const std::vector<HeatmapCell>& cells, double scale, const std::string& title);

struct IntervalRow {
  std::string label;
  double point = 0, low = 0, high = 0;
  bool solid = true;  // false: drawn dashed (insufficient evidence)
};

// One row per item: its interval as a bar and its point, around a zero line.
std::string interval_chart(const std::vector<IntervalRow>& rows, const std::string& title);

}  // namespace gl::report
