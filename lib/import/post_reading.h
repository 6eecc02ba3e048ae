// How an imported post is read: its topic is the account topic its text is
// most about (kUnmatchedTopic when none is), its hook and tags those the
// project's own text reading (lib/learn/text_features) finds, as for a
// planned post.
#pragma once

#include <string>
#include <vector>

namespace gl::import {

// The topic of a post that is about none of the account's topics.
inline constexpr char kUnmatchedTopic[] = "other";

struct PostReading {
  std::string topic;  // lower case, as plan-post writes topics
  std::string hook;   // learn::hook_name
  std::vector<std::string> tags;
};

// The account topic the text names best: the whole topic ("sleep science",
// or #sleepscience) first, else the most of its words (a word matches the
// words it begins: "sleep" matches "sleeping"); ties go to the topic listed
// first. kUnmatchedTopic when no topic word appears.
std::string match_topic(const std::string& text, const std::vector<std::string>& topics);

PostReading read_post(const std::string& text, const std::vector<std::string>& topics);

// read_post of each text, in order, on every core: reading the text is most of
// an import's own work, and the database waits meanwhile.
std::vector<PostReading> read_posts(const std::vector<const std::string*>& texts,
                                    const std::vector<std::string>& topics);

}  // namespace gl::import
