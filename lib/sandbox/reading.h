// How x-sandbox's audience reads a post: what it is about, how it opens, how
// long it is, whether it carries figures, a question, a call to action or a
// link. Written for the sandbox with its own word lists and boundaries, and
// deliberately not the learner's text classifier (lib/learn): a simulator that
// read text through the learner's eyes would only measure how well the
// learner fits itself. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

namespace gl::sandbox {

struct Reading {
  std::string topic;              // the truth's keyword the post is about; "" = none
  std::string opening = "plain";  // one of kOpenings (truth.h)
  std::string size = "brief";     // brief (< 80 characters), mid (< 180), full
  bool numbers = false;           // a figure in the prose (not a year, a handle, a link)
  bool question = false;          // asks something anywhere
  bool cta = false;               // asks the reader to do something
  bool link = false;
};

// Reads text; the topic is the keyword of `topics` mentioned first (at the
// start of a word; the longest wins a tie).
Reading read_post(const std::string& text, const std::vector<std::string>& topics);

}  // namespace gl::sandbox
