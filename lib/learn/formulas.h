// Viral formulas: the structures of posts that worked, recognised by our own
// text analysis, grouped, and scored from the posts' numbers only.
//
// Every post is measured against its own author's usual, so a famous account
// does not make its phrasing look viral (see README, "extract-formulas"):
//   - our own posts and viral replies: ln(views) against the median ln(views)
//     of our gated posts (of replies), computed by the job;
//   - outside posts (vi_tweets, peer_posts): ln(1 + views), or ln(1 + likes +
//     retweets) where X gave no views, against the median of the author's own
//     outside posts of the same measure when there are kMinAuthorPosts of them,
//     else per 1,000 followers against the median of all outside posts.
// A tweet counts once across the sources (by id, then by its prose), withheld
// and deleted notices and posts without prose are no posts, and every formula's
// outside members come from several authors, each author counting once.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "learn/post_counts.h"
#include "learn/text_features.h"

namespace gl::learn {

// Where a successful example came from (the seed's four sources).
inline constexpr const char* kSourceOwn = "own_posts";
inline constexpr const char* kSourceViralReply = "viral_replies";
inline constexpr const char* kSourceVi = "vi_tweets";
inline constexpr const char* kSourcePeer = "peer_posts";

// Outside posts: an author's own median is the baseline once they have this many measured posts.
inline constexpr int kMinAuthorPosts = 3;
// An outside post is successful when its measure is at least this much above its baseline
// (ln 1.5: half again its author's usual) and, where X gave views, it meets kSuccess too.
inline constexpr double kOutsideMinLift = 0.4054651081081644;
// No author holds more than this share of a formula's outside members.
inline constexpr double kMaxAuthorShare = 0.5;
// An example is a sentence: at least this many words once entities are removed.
inline constexpr int kMinExampleWords = 6;

// A post of ours (or our viral reply) already found successful, with its lift
// against our own baseline.
struct FormulaObservation {
  std::string tweet_id;
  std::string text;
  std::string source;
  std::string generator;  // own posts and replies: who wrote it
  double views = 0;
  std::optional<double> engagement_rate;
  std::optional<double> followers_gained;  // own posts only
  double baseline_log_views = 0;           // the median ln(views) of our gated posts
};

// A text's analysis when already known (stored): analyze_text and is_unavailable_notice.
struct KnownText {
  TextFeatures features;
  bool unavailable_notice = false;
};

// A row of vi_tweets or peer_posts as stored: every one is read, the report says
// what became of it.
struct OutsidePost {
  std::string tweet_id;
  std::string text;
  std::string source;  // kSourceVi or kSourcePeer
  std::string author;  // handle
  std::optional<long long> author_followers;
  PostCounts counts;
};

// What a formula extraction reads: our successes first, then the outside rows in
// the order of preference for a tweet found twice (vi_tweets before peer_posts).
struct FormulaInputs {
  std::vector<FormulaObservation> own;
  std::vector<OutsidePost> outside;
  // Our posts' texts already analysed, by tweet id; the others are analysed here.
  std::unordered_map<std::string, KnownText> known_own;
};

struct ViralFormula {
  std::string key;  // hook|body|length|numbers
  std::string name;
  std::string structure;  // "[Surprising stat] + [Evidence]"
  std::string example;
  std::string example_tweet_id;
  std::string hook;
  std::string body_pattern;
  std::string length_band;
  bool has_numbers = false;
  bool has_cta = false;
  std::set<std::string> sources;
  std::set<std::string> generators;  // personas it suits
  int sample_size = 0;               // members
  int authors = 0;                   // distinct authors (our account is one)
  std::optional<double> avg_views;   // over the members X gave views for
  std::optional<double> avg_engagement_rate;
  std::optional<double> followers_per_1000_views;
  double avg_lift = 0;    // mean lift, each outside author once, each own post once
  double score = 0;       // posterior mean of that lift
  double confidence = 0;  // P(score > 0): how sure we are it beats the usual post
};

// What became of the rows of one source: rows == used + the sum of skipped.
struct SourceReport {
  long long rows = 0;
  long long used = 0;                        // members of a stored formula
  std::map<std::string, long long> skipped;  // by reason (see kSkip*)
};

// Reasons a row is not a member, in the order they are checked.
inline constexpr const char* kSkipDuplicateTweet = "duplicate_tweet";  // same id, earlier source
inline constexpr const char* kSkipNotice = "withheld_or_deleted_notice";
inline constexpr const char* kSkipNoProse = "no_prose";  // only links, handles, tags, emoji
inline constexpr const char* kSkipDuplicateText = "duplicate_text";  // same prose, other id
inline constexpr const char* kSkipCountsUnknown = "counts_unknown";  // no views, likes, retweets
inline constexpr const char* kSkipNoBaseline = "no_baseline";        // few posts, followers unknown
inline constexpr const char* kSkipNotSuccessful = "not_successful";
inline constexpr const char* kSkipOneAuthor = "formula_dominated_by_one_author";
inline constexpr const char* kSkipNoExample = "formula_without_sentence_example";

struct FormulaRun {
  std::vector<ViralFormula> formulas;           // best first
  std::map<std::string, SourceReport> sources;  // by source
};

std::string formula_key(const TextFeatures& f);
// Says the whole key: "Question + Explanation (short, with numbers)".
std::string formula_name(const TextFeatures& f);

// Personas whose style suits a hook (for formulas learned from outside posts).
std::vector<std::string> generators_for_hook(HookType h);

// X's notice in place of a withheld, deleted or otherwise unavailable post.
bool is_unavailable_notice(const std::string& text);
// At least kMinExampleWords words of prose and not a notice.
bool is_sentence(const TextFeatures& f, const std::string& text);

// Groups the successful posts by structure and scores each group, best first.
FormulaRun extract_formulas(const FormulaInputs& inputs);
// Our own successes only (no outside rows).
std::vector<ViralFormula> extract_formulas(const std::vector<FormulaObservation>& own);

}  // namespace gl::learn
