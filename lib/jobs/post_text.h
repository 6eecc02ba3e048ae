// A post's text as the learners read it (learn::analyze_text and whether it
// is one of X's unavailable notices), analysed once per post and stored in
// post_text_features instead of at every run: the analysis is most of a
// learner's CPU (ICU and the hook rules' regexes), and a post's content does not change.
//
// Backfill: by the learners, on first sight of a post without a current row
// (none, an older learn::kTextFeaturesVersion, or other content). migrate is
// plain SQL and cannot run the C++ analysis; the write path (metrics_write)
// would tie every scrape to it. A post a learner has not met yet is analysed
// by the learner that meets it, once.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/job_run.h"
#include "learn/text_features.h"

namespace gl::jobs {

struct PostText {
  learn::TextFeatures features;  // entities, numbers and hook_rule are not stored (inspect-text
                                 // analyses afresh; no learner reads them)
  bool unavailable_notice = false;
};

PostText read_post_text(const std::string& content);

// Analyses and stores the account's learning_posts without a current row (not
// in a dry run: the loaders then analyse them in memory). Returns how many.
long long store_post_texts(db::AccountRun& run);

// The same for posts a learner already read (with the md5 of each content, as
// post_text_features keys it): analyses and stores those without a stored
// analysis and sets it on them (not in a dry run). Returns how many.
struct UnanalysedPost {
  std::string decision_id, content, content_md5;
  std::optional<learn::TextFeatures>* text;
  bool* unavailable_notice;
};
long long store_post_texts(db::AccountRun& run, const std::vector<UnanalysedPost>& posts);

// The account's current stored analyses (learn::kTextFeaturesVersion), a row
// each: the decision id of its post (column 0), the md5 of the content it is of
// (1) and the analysis from column kStoredTextFirst (read_post_text_columns).
// For a learner that joins them to posts it read: a post's row is its when the
// md5s agree.
pqxx::result stored_post_text_rows(pqxx::transaction_base& t, long long account_id);
inline constexpr int kStoredTextFirst = 2;

// The same by decision id.
struct StoredPostText {
  std::string content_md5;
  PostText text;
};
std::unordered_map<std::string, StoredPostText> stored_post_texts(pqxx::transaction_base& t,
                                                                  long long account_id);

// The stored analysis' columns for a SELECT, over alias `ptf` joined by
// post_text_join (NULL when no current row), read back by read_post_text_columns.
std::string post_text_columns();
// LEFT JOIN of post_text_features ptf to the learning_posts row `alias`.
std::string post_text_join(const std::string& alias);
std::optional<PostText> read_post_text_columns(const pqxx::row& r, int first);

}  // namespace gl::jobs
