#include "jobs/inspect_text.h"

#include "core/error.h"
#include "learn/formulas.h"
#include "learn/text_features.h"
#include "x/tweet_text.h"

namespace gl::jobs {

Json describe_text(const std::string& text) {
  const x::TweetLength length = x::parse_tweet(text);
  const learn::TextFeatures f = learn::analyze_text(text);
  Json entities = Json::array();
  for (const auto& e : f.entities) {
    Json j = {
        {"type", x::entity_type_name(e.type)}, {"text", e.text}, {"indices", {e.start, e.end}}};
    if (!e.list_slug.empty()) j["list"] = e.list_slug;
    entities.push_back(std::move(j));
  }
  Json numbers = Json::array();
  for (const auto& n : f.numbers) {
    numbers.push_back({{"text", n.text}, {"kind", learn::number_kind_name(n.kind)}});
  }
  return {{"weighted_length", length.weighted_length},
          {"valid", length.valid},
          {"entities", std::move(entities)},
          {"hook", learn::hook_name(f.hook)},
          {"hook_rule", f.hook_rule},
          {"length_band", f.length_band},
          {"numbers", std::move(numbers)},
          {"has_numbers", f.has_numbers},
          {"has_stat", f.has_stat},
          {"question", f.has_question},
          {"call_to_action", f.has_cta},
          {"words", f.words},
          {"body", f.body},
          {"structure", learn::structure_string(f)},
          {"formula", learn::formula_key(f)}};
}

int inspect_text(std::istream& in, const InspectTextOptions& options) {
  std::string line;
  int number = 0, texts = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = "stdin line " + std::to_string(number);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (!x::valid_utf8(line)) throw usage_error(where, "not valid UTF-8");
    Json out = Json::object();
    std::string text = line;
    if (!options.plain && line[first] == '{') {
      out = Json::parse(line, nullptr, false);
      if (out.is_discarded() || !out.is_object()) {
        throw usage_error(where, "starts with { but is not a JSON object (use --plain for text)");
      }
      auto t = out.find("text");
      if (t == out.end() || !t->is_string()) {
        throw usage_error(where, "a JSON line needs a string \"text\"");
      }
      text = t->get<std::string>();
    } else {
      out["text"] = line;
    }
    if (options.html_escaped) text = x::decode_html_entities(text);
    const Json described = describe_text(text);
    for (const auto& [key, value] : described.items()) out[key] = value;
    emit(out);
    ++texts;
  }
  return texts;
}

}  // namespace gl::jobs
