#include "import/archive.h"

#include <cctype>

#include "import/export_time.h"
#include "import/ytd_reader.h"

namespace gl::import {

namespace {

using nlohmann::json;

constexpr char kManifestPrefix[] = "window.__THAR_CONFIG";

// A string field, or nullopt when absent or null. Numbers are taken as their digits.
std::optional<std::string> text_field(const json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned() || it->is_number_integer()) return it->dump();
  return std::nullopt;
}

// The archive writes counts as strings ("12"); older ones as numbers.
bool read_count(const json& o, const char* key, learn::Count& out, std::string& problem) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null()) return true;  // unknown
  const std::string s = it->is_string() ? it->get<std::string>() : it->dump();
  // At most 13 digits keeps std::stoll in range; learn::kMaxCount bounds the rest.
  if (s.empty() || s.size() > 13 || s.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(s) > learn::kMaxCount) {
    problem = std::string(key) + " is not a count: " + (s.size() > 40 ? s.substr(0, 40) : s);
    return false;
  }
  out = std::stoll(s);
  return true;
}

const json& unwrap(const json& element, const char* key) {
  const auto it = element.find(key);
  return it != element.end() && it->is_object() ? *it : element;
}

std::string head_text(const std::string& head) {
  size_t pos = head.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (pos < head.size() && std::isspace(static_cast<unsigned char>(head[pos]))) ++pos;
  return head.substr(pos);
}

// The JSON object after `window.__THAR_CONFIG =`.
std::optional<json> manifest_json(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return std::nullopt;
  json j = json::parse(text.begin() + static_cast<long>(eq) + 1, text.end(), nullptr, false);
  if (j.is_discarded()) {
    // A trailing ';' is JavaScript, not JSON.
    std::string body = text.substr(eq + 1);
    while (!body.empty() &&
           (std::isspace(static_cast<unsigned char>(body.back())) || body.back() == ';'))
      body.pop_back();
    j = json::parse(body, nullptr, false);
  }
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

bool is_archive_file(const std::string& head) {
  return ytd_name(head).has_value() || head_text(head).rfind(kManifestPrefix, 0) == 0;
}

ArchiveFiles sort_archive_files(const std::string& label, const std::vector<ExportFile>& files) {
  ArchiveFiles a;
  a.label = label;
  for (const auto& f : files) {
    const std::string head = head_of(f, 64);
    if (head_text(head).rfind(kManifestPrefix, 0) == 0) {
      a.manifest = f;
      continue;
    }
    const auto name = ytd_name(head);
    if (!name) continue;
    if (*name == "tweets" || *name == "tweet") {
      a.tweets.push_back(f);
    } else if (*name == "note_tweet") {
      a.notes.push_back(f);
    } else if (*name == "account") {
      a.account = f;
    }
  }
  return a;
}

std::optional<TimePoint> parse_archive_time(const std::string& text) {
  const auto t = parse_export_time(text);
  if (!t || !t->has_time) return std::nullopt;
  return t->at;
}

std::string decode_entities(const std::string& text) {
  if (text.find('&') == std::string::npos) return text;
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        const size_t n = std::char_traits<char>::length(entity);
        if (text.compare(i, n, entity) == 0) {
          out += ch;
          i += n;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

std::string truncated_prefix(const std::string& text) {
  std::string s = text;
  const auto trim = [&] {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  };
  trim();
  for (;;) {
    const auto link = s.rfind("https://t.co/");
    if (link == std::string::npos || s.find(' ', link) != std::string::npos) break;
    s.erase(link);
    trim();
  }
  const std::string ellipsis = "\xE2\x80\xA6";  // U+2026
  if (s.size() >= ellipsis.size() &&
      s.compare(s.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0) {
    s.erase(s.size() - ellipsis.size());
  }
  trim();
  return s;
}

std::optional<ArchiveTweet> parse_archive_tweet(const json& element, std::string& problem) {
  if (!element.is_object()) {
    problem = "not a JSON object";
    return std::nullopt;
  }
  const json& t = unwrap(element, "tweet");
  ArchiveTweet out;
  auto id = text_field(t, "id_str");
  if (!id) id = text_field(t, "id");
  if (!id || !valid_post_id(*id)) {
    problem = id ? "id is not a post id: " + id->substr(0, 40) : "no id_str";
    return std::nullopt;
  }
  out.id = *id;
  const auto created = text_field(t, "created_at");
  const auto at = created ? parse_archive_time(*created) : std::nullopt;
  if (!at) {
    problem = created ? "created_at is not a time: " + created->substr(0, 40) : "no created_at";
    return std::nullopt;
  }
  out.created_at = *at;
  auto text = text_field(t, "full_text");
  if (!text) text = text_field(t, "text");
  if (!text) {
    problem = "no full_text";
    return std::nullopt;
  }
  out.text = decode_entities(*text);
  out.retweet = out.text.rfind("RT @", 0) == 0;
  out.reply_to_id = text_field(t, "in_reply_to_status_id_str");
  if (!out.reply_to_id) out.reply_to_id = text_field(t, "in_reply_to_status_id");
  if (out.reply_to_id && !valid_post_id(*out.reply_to_id)) {
    problem = "in_reply_to_status_id_str is not a post id";
    return std::nullopt;
  }
  out.reply_to_user_id = text_field(t, "in_reply_to_user_id_str");
  out.reply_to_handle = text_field(t, "in_reply_to_screen_name");
  if (!read_count(t, "favorite_count", out.likes, problem) ||
      !read_count(t, "retweet_count", out.retweets, problem))
    return std::nullopt;
  return out;
}

std::optional<ArchiveNote> parse_archive_note(const json& element, std::string& problem) {
  if (!element.is_object()) {
    problem = "not a JSON object";
    return std::nullopt;
  }
  const json& n = unwrap(element, "noteTweet");
  ArchiveNote out;
  out.note_id = text_field(n, "noteTweetId").value_or("");
  if (const auto created = text_field(n, "createdAt")) {
    if (const auto t = parse_export_time(*created); t && t->has_time) out.created_at = t->at;
  }
  const auto core = n.find("core");
  if (core == n.end() || !core->is_object() || !text_field(*core, "text")) {
    problem = "no core.text";
    return std::nullopt;
  }
  out.text = decode_entities(*text_field(*core, "text"));
  return out;
}

std::optional<ArchiveAccount> parse_archive_account(const json& element) {
  if (!element.is_object()) return std::nullopt;
  const json& a = unwrap(element, "account");
  const auto handle = text_field(a, "username");
  if (!handle) return std::nullopt;
  return ArchiveAccount{*handle, text_field(a, "accountId").value_or("")};
}

std::optional<TimePoint> manifest_generated_at(const std::string& text) {
  const auto j = manifest_json(text);
  if (!j) return std::nullopt;
  const auto info = j->find("archiveInfo");
  if (info == j->end() || !info->is_object()) return std::nullopt;
  const auto date = text_field(*info, "generationDate");
  if (!date) return std::nullopt;
  const auto t = parse_export_time(*date);
  if (!t || !t->has_time) return std::nullopt;
  return t->at;
}

std::optional<ArchiveAccount> manifest_account(const std::string& text) {
  const auto j = manifest_json(text);
  if (!j) return std::nullopt;
  const auto info = j->find("userInfo");
  if (info == j->end() || !info->is_object()) return std::nullopt;
  const auto handle = text_field(*info, "userName");
  if (!handle) return std::nullopt;
  return ArchiveAccount{*handle, text_field(*info, "accountId").value_or("")};
}

}  // namespace gl::import
