// inspect-text: how growthloop reads a text, for people checking drafts in a
// shell and for pipelines. No database, no network.
#pragma once

#include <istream>
#include <string>

#include "core/json_lines.h"

namespace gl::jobs {

struct InspectTextOptions {
  bool plain = false;         // every line is a text, even one that starts with "{"
  bool html_escaped = false;  // texts are as X's API returns them (&amp;): decode first
};

// Everything the learners read in one text: X's weighted length and validity,
// the entities (UTF-16 indices into the NFC text), hook, length band, numbers,
// question, call to action, body pattern and formula.
Json describe_text(const std::string& text);

// Reads texts from in, one per line, or JSON objects with a string "text" whose
// other fields are passed through; prints one JSON object per text. Blank lines
// are skipped. A bad line (not UTF-8, a JSON line that is not an object with a
// string "text") is a usage error naming it, after the lines before it were printed.
// Returns the number of texts.
int inspect_text(std::istream& in, const InspectTextOptions& options);

}  // namespace gl::jobs
