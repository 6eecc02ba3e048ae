// inspect-text: shows how growthloop reads each text on stdin (X's weighted
// length, entities, hook, numbers, question, call to action, formula).
#include <CLI/CLI.hpp>
#include <iostream>

#include "core/cli.h"
#include "jobs/inspect_text.h"

int main(int argc, char** argv) {
  gl::jobs::InspectTextOptions options;
  return gl::run_tool(
      {"inspect-text",
       "Read texts on stdin (one per line, or JSON lines with a \"text\" field, other fields "
       "passed through) and print how growthloop reads each: X's weighted length and validity, "
       "entities, hook, length band, numbers, question, call to action, formula.",
       false, false},
      argc, argv,
      [&](CLI::App& app) {
        app.add_flag("--plain", options.plain, "every line is a text, even one starting with {");
        app.add_flag("--html-escaped", options.html_escaped,
                     "texts are as X's API returns them (&amp; &lt; &gt;): decode them first");
      },
      [&](gl::ToolContext&) {
        gl::jobs::inspect_text(std::cin, options);
        return 0;
      });
}
