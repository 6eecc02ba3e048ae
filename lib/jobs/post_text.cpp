#include "jobs/post_text.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "db/pg_array.h"
#include "db/row_fields.h"
#include "learn/formulas.h"

namespace gl::jobs {

namespace {

std::string join_body(const std::vector<std::string>& body) {
  std::string out;
  for (const auto& b : body) out += (out.empty() ? "" : "+") + b;
  return out;
}

std::vector<std::string> split_body(std::string_view body) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < body.size()) {
    const size_t plus = body.find('+', from);
    const size_t to = plus == std::string_view::npos ? body.size() : plus;
    out.emplace_back(body.substr(from, to - from));
    from = to + 1;
  }
  return out;
}

}  // namespace

PostText read_post_text(const std::string& content) {
  PostText p;
  p.features = learn::analyze_text(content);
  p.unavailable_notice = learn::is_unavailable_notice(content);
  return p;
}

namespace {

// Stores the analyses of the posts (decision_id, md5 of the content, analysis).
void insert_post_texts(pqxx::work& w, long long account_id,
                       const std::vector<std::pair<std::string, std::string>>& keys,
                       const std::vector<PostText>& texts) {
  std::vector<db::PgArray> cols(15);
  for (size_t i = 0; i < keys.size(); ++i) {
    const PostText& p = texts[i];
    const learn::TextFeatures& f = p.features;
    cols[0].add_text(keys[i].first);
    cols[1].add_text(keys[i].second);
    cols[2].add_text(std::string(learn::hook_name(f.hook)));
    cols[3].add_text(join_body(f.body));
    cols[4].add_text(f.length_band);
    cols[5].add(std::optional<long long>(f.weighted_length));
    cols[6].add(std::optional<long long>(f.words));
    cols[7].add(f.has_numbers);
    cols[8].add(f.has_stat);
    cols[9].add(f.has_question);
    cols[10].add(f.has_cta);
    cols[11].add(f.has_url);
    cols[12].add(p.unavailable_notice);
    cols[13].add_text(f.prose);
  }
  w.exec_params0(
      "INSERT INTO post_text_features (account_id, decision_id, version, content_md5, hook_type, "
      "  body, length_band, weighted_length, words, has_numbers, has_stat, has_question, has_cta, "
      "  has_url, unavailable_notice, prose) "
      "SELECT $1, u.* FROM (SELECT u.d::uuid, $2::int, u.m, u.h, u.b, u.l, u.wl, u.w, u.n, u.s, "
      "  u.q, u.c, u.url, u.notice, u.prose FROM unnest($3::text[], $4::text[], $5::text[], "
      "  $6::text[], $7::text[], $8::int[], $9::int[], $10::bool[], $11::bool[], $12::bool[], "
      "  $13::bool[], $14::bool[], $15::bool[], $16::text[]) "
      "  AS u(d, m, h, b, l, wl, w, n, s, q, c, url, notice, prose)) u "
      "ON CONFLICT (account_id, decision_id) DO UPDATE SET version = excluded.version, "
      "  content_md5 = excluded.content_md5, hook_type = excluded.hook_type, "
      "  body = excluded.body, length_band = excluded.length_band, "
      "  weighted_length = excluded.weighted_length, words = excluded.words, "
      "  has_numbers = excluded.has_numbers, has_stat = excluded.has_stat, "
      "  has_question = excluded.has_question, has_cta = excluded.has_cta, "
      "  has_url = excluded.has_url, unavailable_notice = excluded.unavailable_notice, "
      "  prose = excluded.prose",
      account_id, learn::kTextFeaturesVersion, cols[0].str(), cols[1].str(), cols[2].str(),
      cols[3].str(), cols[4].str(), cols[5].str(), cols[6].str(), cols[7].str(), cols[8].str(),
      cols[9].str(), cols[10].str(), cols[11].str(), cols[12].str(), cols[13].str());
}

}  // namespace

long long store_post_texts(db::AccountRun& run) {
  if (run.ctx.common.dry_run) return 0;
  pqxx::work w(run.conn);
  const auto rows = w.exec_params(
      "SELECT lp.decision_id::text, lp.content, md5(lp.content) FROM learning_posts lp " +
          post_text_join("lp") + " WHERE lp.account_id = $1 AND ptf.decision_id IS NULL",
      run.account.id);
  if (rows.empty()) return 0;
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<PostText> texts;
  for (const auto& r : rows) {
    keys.emplace_back(r[0].as<std::string>(), r[2].as<std::string>());
    texts.push_back(read_post_text(r[1].as<std::string>()));
  }
  insert_post_texts(w, run.account.id, keys, texts);
  w.commit();
  return static_cast<long long>(rows.size());
}

long long store_post_texts(db::AccountRun& run, const std::vector<UnanalysedPost>& posts) {
  if (run.ctx.common.dry_run || posts.empty()) return 0;
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<PostText> texts;
  for (const auto& p : posts) {
    keys.emplace_back(p.decision_id, p.content_md5);
    texts.push_back(read_post_text(p.content));
  }
  pqxx::work w(run.conn);
  insert_post_texts(w, run.account.id, keys, texts);
  w.commit();
  for (size_t i = 0; i < posts.size(); ++i) {
    *posts[i].text = texts[i].features;
    *posts[i].unavailable_notice = texts[i].unavailable_notice;
  }
  return static_cast<long long>(posts.size());
}

pqxx::result stored_post_text_rows(pqxx::transaction_base& t, long long account_id) {
  return t.exec_params("SELECT ptf.decision_id::text, ptf.content_md5, " + post_text_columns() +
                           " FROM post_text_features ptf "
                           "WHERE ptf.account_id = $1 AND ptf.version = $2",
                       account_id, learn::kTextFeaturesVersion);
}

std::unordered_map<std::string, StoredPostText> stored_post_texts(pqxx::transaction_base& t,
                                                                  long long account_id) {
  const auto rows = stored_post_text_rows(t, account_id);
  std::unordered_map<std::string, StoredPostText> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    if (auto text = read_post_text_columns(r, kStoredTextFirst))
      out[r[0].as<std::string>()] = {r[1].as<std::string>(), std::move(*text)};
  }
  return out;
}

std::string post_text_columns() {
  return "ptf.hook_type, ptf.body, ptf.length_band, ptf.weighted_length, ptf.words, "
         "ptf.has_numbers, ptf.has_stat, ptf.has_question, ptf.has_cta, ptf.has_url, "
         "ptf.unavailable_notice, ptf.prose";
}

// One primary-key lookup per post, whatever the statistics say: as a plain
// LEFT JOIN, statistics taken before an account's first backfill (its rows
// estimated at 1) made the planner rescan all of the account's rows for each
// post, 10,000 x 10,000 comparisons (5.5 s). OFFSET 0 keeps the subquery from
// being flattened back into that join.
std::string post_text_join(const std::string& alias) {
  return fmt::format(
      "LEFT JOIN LATERAL (SELECT f.* FROM post_text_features f WHERE f.account_id = "
      "{0}.account_id AND f.decision_id = {0}.decision_id AND f.version = {1} "
      "AND f.content_md5 = md5({0}.content) OFFSET 0) ptf ON true",
      alias, learn::kTextFeaturesVersion);
}

std::optional<PostText> read_post_text_columns(const pqxx::row& r, int first) {
  db::RowFields in(r, first);
  const auto hook = in.optional_text();
  if (!hook) return std::nullopt;
  PostText p;
  learn::TextFeatures& f = p.features;
  if (!learn::parse_hook(std::string(*hook), f.hook)) return std::nullopt;
  f.body = split_body(in.text());
  f.length_band = in.text();
  f.weighted_length = in.integer();
  f.words = in.integer();
  f.has_numbers = in.flag();
  f.has_stat = in.flag();
  f.has_question = in.flag();
  f.has_cta = in.flag();
  f.has_url = in.flag();
  p.unavailable_notice = in.flag();
  f.prose = in.text();
  return p;
}

}  // namespace gl::jobs
