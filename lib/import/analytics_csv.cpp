#include "import/analytics_csv.h"

#include <algorithm>
#include <set>

#include "core/error.h"
#include "import/text_key.h"
#include "x/tweet_text.h"

namespace gl::import {

namespace {

// A header cell's name in one language. dialect: 'L' legacy, 'C' current, '*' both.
struct HeaderName {
  Column column;
  const char* language;
  char dialect;
  const char* name;
};

// What the exports call each column we read. English from X's own files;
// the translations are X's interface words for each metric, as its localised
// analytics pages and exports use them. Matching is on text_key, so case,
// accents and hyphens do not matter.
constexpr HeaderName kHeaderNames[] = {
    {Column::kId, "en", 'L', "Tweet id"},
    {Column::kId, "en", 'C', "Post id"},
    {Column::kId, "es", 'L', "ID del Tweet"},
    {Column::kId, "es", 'C', "ID de la publicación"},
    {Column::kId, "es", 'C', "ID del post"},
    {Column::kId, "fr", 'L', "Identifiant du Tweet"},
    {Column::kId, "fr", 'L', "ID du Tweet"},
    {Column::kId, "fr", 'C', "ID du post"},
    {Column::kId, "fr", 'C', "Identifiant du post"},
    {Column::kId, "de", 'L', "Tweet-ID"},
    {Column::kId, "de", 'C', "Post-ID"},
    {Column::kId, "de", 'C', "Beitrags-ID"},
    {Column::kId, "ja", 'L', "ツイートID"},
    {Column::kId, "ja", 'C', "ポストID"},
    {Column::kId, "pt", 'L', "ID do Tweet"},
    {Column::kId, "pt", 'C', "ID do post"},
    {Column::kId, "pt", 'C', "ID da publicação"},
    {Column::kPermalink, "en", 'L', "Tweet permalink"},
    {Column::kPermalink, "en", 'C', "Post Link"},
    {Column::kPermalink, "es", 'L', "Enlace permanente del Tweet"},
    {Column::kPermalink, "es", 'C', "Enlace de la publicación"},
    {Column::kPermalink, "es", 'C', "Enlace del post"},
    {Column::kPermalink, "fr", 'L', "Lien permanent du Tweet"},
    {Column::kPermalink, "fr", 'L', "Permalien du Tweet"},
    {Column::kPermalink, "fr", 'C', "Lien du post"},
    {Column::kPermalink, "de", 'L', "Tweet-Permalink"},
    {Column::kPermalink, "de", 'L', "Permalink des Tweets"},
    {Column::kPermalink, "de", 'C', "Post-Link"},
    {Column::kPermalink, "de", 'C', "Link zum Post"},
    {Column::kPermalink, "ja", 'L', "ツイートのパーマリンク"},
    {Column::kPermalink, "ja", '*', "パーマリンク"},
    {Column::kPermalink, "ja", 'C', "ポストのリンク"},
    {Column::kPermalink, "pt", 'L', "Link permanente do Tweet"},
    {Column::kPermalink, "pt", 'C', "Link do post"},
    {Column::kText, "en", 'L', "Tweet text"},
    {Column::kText, "en", 'C', "Post text"},
    {Column::kText, "es", 'L', "Texto del Tweet"},
    {Column::kText, "es", 'C', "Texto de la publicación"},
    {Column::kText, "es", 'C', "Texto del post"},
    {Column::kText, "fr", 'L', "Texte du Tweet"},
    {Column::kText, "fr", 'C', "Texte du post"},
    {Column::kText, "de", 'L', "Tweet-Text"},
    {Column::kText, "de", 'L', "Text des Tweets"},
    {Column::kText, "de", 'C', "Post-Text"},
    {Column::kText, "de", 'C', "Beitragstext"},
    {Column::kText, "ja", 'L', "ツイート本文"},
    {Column::kText, "ja", 'L', "ツイートのテキスト"},
    {Column::kText, "ja", 'C', "ポスト本文"},
    {Column::kText, "ja", 'C', "ポストのテキスト"},
    {Column::kText, "pt", 'L', "Texto do Tweet"},
    {Column::kText, "pt", 'C', "Texto do post"},
    {Column::kTime, "en", 'L', "time"},
    {Column::kTime, "en", 'C', "Date"},
    {Column::kTime, "es", 'L', "hora"},
    {Column::kTime, "es", 'C', "fecha"},
    {Column::kTime, "fr", 'L', "heure"},
    {Column::kTime, "fr", 'C', "date"},
    {Column::kTime, "de", 'L', "Zeit"},
    {Column::kTime, "de", 'L', "Uhrzeit"},
    {Column::kTime, "de", 'C', "Datum"},
    {Column::kTime, "ja", 'L', "時間"},
    {Column::kTime, "ja", '*', "日時"},
    {Column::kTime, "ja", 'C', "日付"},
    {Column::kTime, "pt", 'L', "hora"},
    {Column::kTime, "pt", 'L', "horário"},
    {Column::kTime, "pt", 'C', "data"},
    {Column::kImpressions, "en", '*', "impressions"},
    {Column::kImpressions, "es", '*', "impresiones"},
    {Column::kImpressions, "fr", '*', "impressions"},
    {Column::kImpressions, "de", '*', "Impressionen"},
    {Column::kImpressions, "ja", '*', "インプレッション"},
    {Column::kImpressions, "ja", '*', "インプレッション数"},
    {Column::kImpressions, "pt", '*', "impressões"},
    {Column::kLikes, "en", '*', "likes"},
    {Column::kLikes, "en", 'L', "favorites"},
    {Column::kLikes, "es", '*', "me gusta"},
    {Column::kLikes, "es", 'L', "favoritos"},
    {Column::kLikes, "fr", '*', "j'aime"},
    {Column::kLikes, "fr", 'L', "favoris"},
    {Column::kLikes, "de", '*', "Gefällt mir"},
    {Column::kLikes, "de", '*', "Likes"},
    {Column::kLikes, "de", 'L', "Favoriten"},
    {Column::kLikes, "ja", '*', "いいね"},
    {Column::kLikes, "ja", '*', "いいね数"},
    {Column::kLikes, "ja", 'L', "お気に入り"},
    {Column::kLikes, "pt", '*', "curtidas"},
    {Column::kLikes, "pt", 'L', "favoritos"},
    {Column::kRetweets, "en", 'L', "retweets"},
    {Column::kRetweets, "en", 'C', "Reposts"},
    {Column::kRetweets, "es", 'L', "retweets"},
    {Column::kRetweets, "es", 'L', "retuits"},
    {Column::kRetweets, "es", 'C', "reposts"},
    {Column::kRetweets, "fr", 'L', "retweets"},
    {Column::kRetweets, "fr", 'C', "reposts"},
    {Column::kRetweets, "de", 'L', "Retweets"},
    {Column::kRetweets, "de", 'C', "Reposts"},
    {Column::kRetweets, "ja", 'L', "リツイート"},
    {Column::kRetweets, "ja", 'C', "リポスト"},
    {Column::kRetweets, "pt", 'L', "retweets"},
    {Column::kRetweets, "pt", 'C', "reposts"},
    {Column::kReplies, "en", '*', "replies"},
    {Column::kReplies, "es", '*', "respuestas"},
    {Column::kReplies, "fr", '*', "réponses"},
    {Column::kReplies, "de", '*', "Antworten"},
    {Column::kReplies, "ja", '*', "返信"},
    {Column::kReplies, "pt", '*', "respostas"},
    {Column::kBookmarks, "en", '*', "Bookmarks"},
    {Column::kBookmarks, "es", '*', "Elementos guardados"},
    {Column::kBookmarks, "es", '*', "Guardados"},
    {Column::kBookmarks, "fr", '*', "Signets"},
    {Column::kBookmarks, "de", '*', "Lesezeichen"},
    {Column::kBookmarks, "ja", '*', "ブックマーク"},
    {Column::kBookmarks, "pt", '*', "Itens salvos"},
    {Column::kBookmarks, "pt", '*', "Salvos"},
    {Column::kProfileClicks, "en", 'L', "user profile clicks"},
    {Column::kProfileClicks, "en", 'C', "Profile visits"},
    {Column::kProfileClicks, "es", 'L', "clics en el perfil de usuario"},
    {Column::kProfileClicks, "es", 'C', "Visitas al perfil"},
    {Column::kProfileClicks, "fr", 'L', "clics sur le profil de l'utilisateur"},
    {Column::kProfileClicks, "fr", 'C', "Visites du profil"},
    {Column::kProfileClicks, "de", 'L', "Klicks auf das Nutzerprofil"},
    {Column::kProfileClicks, "de", 'C', "Profilbesuche"},
    {Column::kProfileClicks, "ja", 'L', "ユーザープロフィールのクリック"},
    {Column::kProfileClicks, "ja", 'L', "ユーザープロフィールクリック"},
    {Column::kProfileClicks, "ja", 'C', "プロフィールへのアクセス"},
    {Column::kProfileClicks, "pt", 'L', "cliques no perfil do usuário"},
    {Column::kProfileClicks, "pt", 'C', "Visitas ao perfil"},
    {Column::kUrlClicks, "en", '*', "url clicks"},
    {Column::kUrlClicks, "es", '*', "clics en URL"},
    {Column::kUrlClicks, "es", '*', "clics en el URL"},
    {Column::kUrlClicks, "fr", '*', "clics sur l'URL"},
    {Column::kUrlClicks, "fr", '*', "clics sur URL"},
    {Column::kUrlClicks, "de", '*', "URL-Klicks"},
    {Column::kUrlClicks, "de", '*', "Klicks auf URL"},
    {Column::kUrlClicks, "ja", '*', "URLクリック"},
    {Column::kUrlClicks, "ja", '*', "URLのクリック数"},
    {Column::kUrlClicks, "pt", '*', "cliques no URL"},
    {Column::kUrlClicks, "pt", '*', "cliques em URL"},
    {Column::kFollows, "en", 'L', "follows"},
    {Column::kFollows, "en", 'C', "New follows"},
    {Column::kFollows, "es", 'L', "seguimientos"},
    {Column::kFollows, "es", 'C', "Nuevos seguidores"},
    {Column::kFollows, "fr", 'L', "abonnements"},
    {Column::kFollows, "fr", 'C', "Nouveaux abonnés"},
    {Column::kFollows, "de", 'L', "Follower"},
    {Column::kFollows, "de", 'C', "Neue Follower"},
    {Column::kFollows, "ja", 'L', "フォロー"},
    {Column::kFollows, "ja", 'L', "フォロー数"},
    {Column::kFollows, "ja", 'C', "新しいフォロー"},
    {Column::kFollows, "pt", 'L', "seguidores"},
    {Column::kFollows, "pt", 'C', "Novos seguidores"},
};

constexpr const char* kLanguages[] = {"en", "es", "fr", "de", "ja", "pt"};

const std::vector<std::string>& header_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& h : kHeaderNames) k.push_back(text_key(h.name));
    return k;
  }();
  return keys;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string shown(const std::string& cell) {
  std::string s = cell.size() > 40 ? cell.substr(0, 40) + "..." : cell;
  return x::valid_utf8(s) ? "\"" + s + "\"" : "(invalid UTF-8)";
}

// A count as exports write it: "1234", "1,234", "1.234", "1 234"; "" and "-" are unknown.
bool parse_count(const std::string& raw, learn::Count& out, std::string& problem,
                 const char* name) {
  const std::string s = trim(raw);
  if (s.empty() || s == "-") return true;
  std::string digits;
  size_t group = 0;
  bool separated = false, ok = true;
  for (size_t i = 0; i < s.size() && ok; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= '0' && c <= '9') {
      digits += static_cast<char>(c);
      ++group;
      continue;
    }
    size_t sep = 0;
    if (c == ',' || c == '.' || c == ' ' || c == '\'') sep = 1;
    if (s.compare(i, 2, "\xC2\xA0") == 0) sep = 2;      // no-break space
    if (s.compare(i, 3, "\xE2\x80\xAF") == 0) sep = 3;  // narrow no-break space
    if (sep == 0 || group == 0 || (separated && group != 3)) {
      ok = false;
      break;
    }
    separated = true;
    group = 0;
    i += sep - 1;
  }
  if (!ok || digits.empty() || (separated && group != 3) || digits.size() > 15 ||
      std::stoll(digits) > learn::kMaxCount) {
    problem = std::string(name) + ": " + shown(raw) + " is not a count";
    return false;
  }
  out = std::stoll(digits);
  return true;
}

}  // namespace

const char* column_name(Column c) {
  switch (c) {
    case Column::kId:
      return "id";
    case Column::kPermalink:
      return "permalink";
    case Column::kText:
      return "text";
    case Column::kTime:
      return "time";
    case Column::kImpressions:
      return "impressions";
    case Column::kLikes:
      return "likes";
    case Column::kRetweets:
      return "retweets";
    case Column::kReplies:
      return "replies";
    case Column::kBookmarks:
      return "bookmarks";
    case Column::kProfileClicks:
      return "profile_clicks";
    case Column::kUrlClicks:
      return "url_clicks";
    case Column::kFollows:
      return "follows";
  }
  return "?";
}

std::optional<AnalyticsHeader> recognise_header(const std::vector<std::string>& cells,
                                                std::string& problem) {
  AnalyticsHeader h;
  std::map<std::string, int> votes;
  int legacy = 0, current = 0;
  const auto& keys = header_keys();
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string cell = cells[i];
    if (i == 0 && cell.rfind("\xEF\xBB\xBF", 0) == 0) cell.erase(0, 3);
    const std::string key = text_key(cell);
    bool known = false;
    std::set<std::string> languages;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (keys[k] != key) continue;
      const HeaderName& name = kHeaderNames[k];
      if (!known && h.columns.count(name.column) == 0) {
        h.columns[name.column] = i;
        if (name.column == Column::kId || name.column == Column::kPermalink) {
          if (name.dialect == 'L') ++legacy;
          if (name.dialect == 'C') ++current;
        }
      }
      known = true;
      languages.insert(name.language);
    }
    for (const auto& l : languages) ++votes[l];
    if (!known) h.ignored.push_back(x::valid_utf8(cell) ? cell : "(invalid UTF-8)");
  }
  if (!h.columns.count(Column::kId) && !h.columns.count(Column::kPermalink)) {
    problem = "not an X archive or analytics export: no post id or link column in the first line";
    return std::nullopt;
  }
  bool metrics = false;
  for (const auto& [c, i] : h.columns) {
    if (c != Column::kId && c != Column::kPermalink && c != Column::kText && c != Column::kTime)
      metrics = true;
  }
  if (!metrics) {
    problem = "unknown analytics dialect: a post id column but no metric column we know";
    return std::nullopt;
  }
  // Every export of either dialect has the post's text and its impressions; a
  // header that names neither is one we cannot read (a language we do not know
  // matches only a few words), not one to read half of.
  for (const auto& [column, what] :
       {std::pair{Column::kText, "post text"}, std::pair{Column::kImpressions, "impressions"}}) {
    if (h.columns.count(column)) continue;
    std::string unknown;
    for (size_t i = 0; i < std::min<size_t>(h.ignored.size(), 4); ++i)
      unknown += (i ? ", " : "") + ("\"" + h.ignored[i] + "\"");
    problem = std::string("unknown analytics dialect: no ") + what +
              " column we know (headers we do not read: " + unknown +
              (h.ignored.size() > 4 ? ", ..." : "") +
              "); exports in English, Spanish, French, German, Portuguese and Japanese are read";
    return std::nullopt;
  }
  h.dialect = current > legacy ? "current" : "legacy";
  h.language = "en";
  int best = -1;
  for (const char* l : kLanguages) {
    if (votes[l] > best) {
      best = votes[l];
      h.language = l;
    }
  }
  h.day_first = h.language != "en" && h.language != "ja";
  return h;
}

CsvReader::CsvReader(ByteSource& src) : in_(src) {
  // The delimiter is whichever of , ; and tab the first line holds most of.
  const std::string_view head = in_.ahead();
  const std::string_view line = head.substr(0, head.find('\n'));
  size_t best = 0;
  for (char d : {',', ';', '\t'}) {
    const auto n = static_cast<size_t>(std::count(line.begin(), line.end(), d));
    if (n > best) {
      best = n;
      delimiter_ = d;
    }
  }
}

bool CsvReader::next(CsvRecord& out) {
  out.cells.clear();
  out.problem.clear();
  if (in_.peek() < 0) return false;
  out.line = in_.line();
  std::string field;
  size_t bytes = 0;
  bool quoted = false, field_started = false, oversized = false;
  for (;;) {
    const int c = in_.get();
    if (c < 0) {
      if (quoted) out.problem = "the file ends inside a quoted field (truncated?)";
      break;
    }
    if (++bytes > kMaxRowBytes && !oversized) {
      oversized = true;
      out.problem = "row longer than " + std::to_string(kMaxRowBytes >> 20) + " MiB";
      field.clear();
      field.shrink_to_fit();
    }
    if (quoted) {
      if (c == '"') {
        if (in_.peek() == '"') {
          in_.get();
          if (!oversized) field += '"';
        } else {
          quoted = false;
        }
      } else if (!oversized) {
        field += static_cast<char>(c);
      }
      continue;
    }
    if (c == delimiter_) {
      if (!oversized) out.cells.push_back(std::move(field));
      field.clear();
      field_started = false;
      continue;
    }
    if (c == '\n') break;
    if (c == '\r') {
      if (in_.peek() == '\n') in_.get();
      break;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
      continue;
    }
    field_started = true;
    if (!oversized) field += static_cast<char>(c);
  }
  if (oversized) {
    out.cells.clear();
  } else {
    out.cells.push_back(std::move(field));
  }
  return true;
}

AnalyticsHeader read_analytics_csv(
    ByteSource& src, const std::string& label, const std::function<void(AnalyticsRow&&)>& on_row,
    const std::function<void(long, const std::string&)>& on_problem) {
  CsvReader csv(src);
  CsvRecord rec;
  if (!csv.next(rec)) throw usage_error(label, "empty file");
  if (!rec.problem.empty()) throw usage_error(label + ":1", rec.problem);
  if (!rec.cells.empty() &&
      (rec.cells[0].rfind("\xFF\xFE", 0) == 0 || rec.cells[0].rfind("\xFE\xFF", 0) == 0)) {
    throw usage_error(label, "UTF-16 text: save the export as UTF-8 CSV");
  }
  std::string why;
  const auto header = recognise_header(rec.cells, why);
  if (!header) throw usage_error(label, why);
  size_t needed = 0;
  for (const auto& [c, i] : header->columns) needed = std::max(needed, i + 1);
  const auto cell = [&](const CsvRecord& r, Column c) -> std::optional<std::string> {
    const auto it = header->columns.find(c);
    if (it == header->columns.end()) return std::nullopt;
    return r.cells[it->second];
  };
  while (csv.next(rec)) {
    if (!rec.problem.empty()) {
      on_problem(rec.line, rec.problem);
      continue;
    }
    if (rec.cells.size() == 1 && trim(rec.cells[0]).empty()) continue;  // a blank line
    if (rec.cells.size() < needed) {
      on_problem(rec.line, std::to_string(rec.cells.size()) + " fields where the header has " +
                               std::to_string(header->columns.size() + header->ignored.size()) +
                               " (truncated?)");
      continue;
    }
    bool utf8 = true;
    for (const auto& [c, i] : header->columns) utf8 = utf8 && x::valid_utf8(rec.cells[i]);
    if (!utf8) {
      on_problem(rec.line, "invalid UTF-8");
      continue;
    }
    AnalyticsRow row;
    row.line = rec.line;
    std::string problem;
    // The id: its column, else the link; a spreadsheet's 1.23457E+18 from the link.
    const std::string id = trim(cell(rec, Column::kId).value_or(""));
    const auto link = cell(rec, Column::kPermalink);
    const auto link_id = link ? id_from_permalink(*link) : std::nullopt;
    if (valid_post_id(id)) {
      if (link_id && *link_id != id)
        problem = "id " + id + " and link " + shown(*link) + " disagree";
      row.id = id;
    } else if (spreadsheet_mangled(id)) {
      if (!link_id) {
        problem = "id " + shown(id) +
                  " was rounded by a spreadsheet and there is no link to read it from";
      } else if (!matches_mangled(id, *link_id)) {
        problem = "id " + shown(id) + " does not match the link's id " + *link_id;
      }
      if (link_id) row.id = *link_id;
    } else if (id.empty() && link_id) {
      row.id = *link_id;
    } else {
      problem = id.empty() ? "no post id" : "id " + shown(id) + " is not a post id";
    }
    if (const auto t = cell(rec, Column::kTime); problem.empty() && t && !trim(*t).empty()) {
      row.time = parse_export_time(trim(*t), header->day_first);
      if (!row.time) problem = "time " + shown(*t) + " is not a date";
    }
    row.text = cell(rec, Column::kText).value_or("");
    const std::pair<Column, learn::Count learn::PostCounts::*> kCounts[] = {
        {Column::kImpressions, &learn::PostCounts::impressions},
        {Column::kLikes, &learn::PostCounts::likes},
        {Column::kRetweets, &learn::PostCounts::retweets},
        {Column::kReplies, &learn::PostCounts::replies},
        {Column::kBookmarks, &learn::PostCounts::bookmarks},
        {Column::kProfileClicks, &learn::PostCounts::profile_clicks},
        {Column::kUrlClicks, &learn::PostCounts::url_clicks}};
    for (const auto& [c, field] : kCounts) {
      if (!problem.empty()) break;
      if (const auto v = cell(rec, c)) parse_count(*v, row.counts.*field, problem, column_name(c));
    }
    if (const auto v = cell(rec, Column::kFollows); problem.empty() && v) {
      learn::Count follows;
      if (parse_count(*v, follows, problem, "follows")) row.follows = follows;
    }
    if (!problem.empty()) {
      on_problem(rec.line, problem);
      continue;
    }
    on_row(std::move(row));
  }
  return *header;
}

}  // namespace gl::import
