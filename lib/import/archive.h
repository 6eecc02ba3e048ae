// X's account archive ("Download an archive of your data"), a zip or its
// unpacked folder: which of its files hold the posts, the long posts and the
// account (recognised by content, not by name), and what one element of each
// says. data/tweets.js (older archives data/tweet.js, large ones also
// tweets-part1.js ...) holds {"tweet": {...}} elements with id_str,
// full_text, created_at ("Sat Feb 18 12:33:11 +0000 2023"), favorite_count
// and retweet_count as strings, in_reply_to_*; data/note-tweet.js the full
// text of long posts; data/account.js the handle and user id;
// data/manifest.js when the archive was made. No impressions, reply counts,
// quotes or bookmarks.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "import/byte_source.h"
#include "learn/post_counts.h"

namespace gl::import {

// An archive's files by what they hold.
struct ArchiveFiles {
  std::string label;                      // the zip, the folder, or a loose file
  std::vector<ExportFile> tweets, notes;  // data files, in name order
  std::optional<ExportFile> account, manifest;
};

// Sorts files into an archive by their first bytes; files that are no
// archive data file are left out (media, HTML, other data).
ArchiveFiles sort_archive_files(const std::string& label, const std::vector<ExportFile>& files);

// True when a file's first bytes make it a file of an archive.
bool is_archive_file(const std::string& head);

struct ArchiveTweet {
  std::string id;
  TimePoint created_at;
  std::string text;  // HTML entities decoded
  std::optional<std::string> reply_to_id, reply_to_user_id, reply_to_handle;
  learn::Count likes, retweets;
  bool retweet = false;  // "RT @..."
};

struct ArchiveNote {
  std::string note_id;
  std::optional<TimePoint> created_at;
  std::string text;
};

struct ArchiveAccount {
  std::string handle, user_id;
};

// One element of tweets.js ({"tweet": {...}} or the bare object). On a
// missing or bad field returns nullopt and says why in `problem`.
std::optional<ArchiveTweet> parse_archive_tweet(const nlohmann::json& element,
                                                std::string& problem);
std::optional<ArchiveNote> parse_archive_note(const nlohmann::json& element, std::string& problem);
std::optional<ArchiveAccount> parse_archive_account(const nlohmann::json& element);

// manifest.js: `window.__THAR_CONFIG = {...}`; when the archive was generated.
std::optional<TimePoint> manifest_generated_at(const std::string& text);
std::optional<ArchiveAccount> manifest_account(const std::string& text);

// "Sat Feb 18 12:33:11 +0000 2023".
std::optional<TimePoint> parse_archive_time(const std::string& text);

// X escapes &, < and > in a post's text as HTML entities.
std::string decode_entities(const std::string& text);

// The text of a post without the t.co link and ellipsis X puts at the end of
// a long post's truncated text: what its full text must begin with.
std::string truncated_prefix(const std::string& text);

}  // namespace gl::import
