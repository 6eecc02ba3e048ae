// The hook of a post and the pattern of its body, read from the prose (the
// text without URLs, mentions, hashtags, cashtags). The hooks follow the
// labelling guide (tests/data/hooks/GUIDE.md): the hook is what the opening
// (first sentence or line) does, a structure (steps, a list) wins over the
// lead-in that introduces it, and a post that is not clearly a hook is a
// statement: each rule below asks for an explicit sign, because a wrong hook
// teaches the learners a false lesson.
#include <algorithm>
#include <cctype>
#include <map>

#include "core/regex.h"
#include "learn/text_features.h"

namespace gl::learn {

namespace {

constexpr auto kIcase = Regex::kIcase;

bool any(const std::string& s, const Regex& r) { return r.search(s); }

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool has_alnum(const std::string& s) {
  for (unsigned char c : s) {
    if (std::isalnum(c) || c >= 0x80) return true;
  }
  return false;
}

int word_count(const std::string& s) {
  int n = 0;
  bool in_word = false;
  for (unsigned char c : s) {
    const bool letter = std::isalnum(c) || c >= 0x80 || c == '\'';
    if (letter && !in_word) ++n;
    in_word = letter;
  }
  return n;
}

// A post read for its hook: the lines that say something, the opening and what follows.
struct Reading {
  std::vector<std::string> lines;  // trimmed, non-empty, with a letter or digit
  std::string opening_text;        // first sentence of the first line
  std::string opening;             // the same, lower-case
  std::string second;              // the sentence after the opening, lower-case
  std::string head;                // the opening and the next sentence, lower-case
  std::string lead;                // the opening, and the next sentence when it is a short opener
  std::string rest;                // everything after the opening, lower-case
  int rest_sentences = 0;          // sentences after the opening
  std::string all;                 // lower-case prose
};

// The word before the period at `dot` is an abbreviation: at most three letters
// ("e.g", "Aug", "vs", "Dr"), a dot inside ("U.S"), or one of the longer common ones.
bool abbreviation(const std::string& line, size_t dot) {
  size_t b = dot;
  while (b > 0 && (std::isalpha(static_cast<unsigned char>(line[b - 1])) || line[b - 1] == '.'))
    --b;
  const std::string word = lower(line.substr(b, dot - b));
  static const char* const kLonger[] = {"approx", "incl", "excl", "dept", "govt", "assoc", "prof",
                                        "corp",   "est",  "cont", "misc", "sept", "mins",  "hrs"};
  return word.size() <= 3 || word.find('.') != std::string::npos ||
         std::find(std::begin(kLonger), std::end(kLonger), word) != std::end(kLonger);
}

// Sentence ends: . ! ? (and the CJK forms), after any closing quotes or
// brackets, before white space, an emoji or the end.
size_t sentence_end(const std::string& line) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '.' || c == '!' || c == '?') {
      size_t end = i + 1;
      while (end < line.size() && (line[end] == '!' || line[end] == '?')) ++end;
      while (end < line.size() && (line[end] == '"' || line[end] == '\'' || line[end] == ')'))
        ++end;
      const auto next = end < line.size() ? static_cast<unsigned char>(line[end]) : 0;
      if (next != 0 && next != ' ' && next != '\t' && next < 0x80) continue;
      // "Aug. 14", "e.g. this", "U.S. data", "approx. ten": an abbreviation (a word
      // of at most three letters, or with a dot inside, or a listed one) before a
      // lower-case word is not an end; a longer word's period is, as in posts
      // written in lower case ("go to linkedin. search ..."). An ellipsis
      // ("coders... with laptops") ends a sentence before any word.
      const bool ellipsis = c == '.' && i >= 1 && line[i - 1] == '.';
      if (c == '.' && !ellipsis && i >= 1 && end + 1 < line.size() &&
          std::islower(static_cast<unsigned char>(line[end + 1])) && abbreviation(line, i))
        continue;
      return end;
    }
    if (static_cast<unsigned char>(c) < 0xE3) continue;  // no CJK form starts below
    for (const char* cjk : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {  // 。！？
      if (line.compare(i, 3, cjk) == 0) return i + 3;
    }
  }
  return line.size();
}

// Emoji (U+1F000 on), the symbol blocks of U+2190-U+2BFF (arrows, shapes, dingbats,
// ☑ ⭐ ⬇), variation selectors and joiners, and white space, at the start of a line.
// Letters, digits, quotes, currency signs and bullets (U+2022) stay.
std::string without_leading_symbols(const std::string& line) {
  size_t i = 0;
  while (i < line.size()) {
    const auto c0 = static_cast<unsigned char>(line[i]);
    const auto c1 = i + 1 < line.size() ? static_cast<unsigned char>(line[i + 1]) : 0;
    if (c0 == ' ' || c0 == '\t') {
      ++i;
    } else if (c0 == 0xF0 && c1 == 0x9F && i + 3 < line.size()) {
      i += 4;
    } else if (c0 == 0xE2 && c1 >= 0x86 && c1 <= 0xAF && i + 2 < line.size()) {
      i += 3;
    } else if (line.compare(i, 3, "\xEF\xB8\x8F") == 0 || line.compare(i, 3, "\xE2\x80\x8D") == 0) {
      i += 3;  // U+FE0F, U+200D
    } else {
      break;
    }
  }
  return line.substr(i);
}

// Hashtags as the labelling guide reads them: those that end a line ("... #rstats
// #dataviz") only address, and go; one inside a sentence is a word of it ("Try
// this #recipe tonight!", "#forcats tip 3: ...").
std::string hashtags_read(const std::string& text) {
  static const Regex kTrailing(R"((\s*#\w+)+\s*$)");
  static const Regex kSign(R"(#(?=[A-Za-z]))");
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out += kSign.replace_all(kTrailing.replace_first(text.substr(start, nl - start), ""), "");
    if (nl < text.size()) out += '\n';
    start = nl + 1;
  }
  return out;
}

Reading read(const std::string& prose) {
  // Multi-byte characters go in alternations: the regexes read brackets byte by byte.
  static const Regex kLeader(R"(^([\s:;,.|>-]|–|—)*(rt\b\s*:?\s*)?([\s:;,.|>-]|–|—)*)", kIcase);
  // An old-style quote ("Nice one! RT @ana: who else ...?", its mention gone from
  // the prose): what follows the marker is someone else's post, not the author's.
  static const Regex kQuotedRetweet(R"((^|\s|\{|\(|\[|"|“)RT\s*:)");
  Reading r;
  std::string text = kLeader.replace_first(hashtags_read(ascii_apostrophes(prose)), "");
  if (RegexMatch m; kQuotedRetweet.search(text, m) && has_alnum(text.substr(0, m.position())))
    text = text.substr(0, m.position());
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = trim(text.substr(start, nl - start));
    if (has_alnum(line)) r.lines.push_back(line);
    start = nl + 1;
  }
  r.all = lower(text);
  if (r.lines.empty()) return r;
  // An emoji or symbol before the first word only decorates it ("🚀 How to ...",
  // "📢 Hot take: ..."): the opening is read from the first word.
  const std::string first = without_leading_symbols(r.lines.front());
  const size_t end = sentence_end(first);
  r.opening_text = trim(first.substr(0, end));
  r.opening = lower(r.opening_text);
  std::string rest = trim(first.substr(end));
  for (size_t i = 1; i < r.lines.size(); ++i) rest += "\n" + r.lines[i];
  r.rest = lower(trim(rest));
  // Count the sentences after the opening, and take the next one as part of a
  // short opener ("Agree, and also... I would say stop X-ing").
  std::string next = trim(rest);
  for (bool first_next = true; !next.empty(); first_next = false) {
    const size_t e = std::min(sentence_end(next), next.find('\n'));
    if (first_next) r.second = lower(trim(next.substr(0, e)));
    ++r.rest_sentences;
    next = e >= next.size() ? "" : trim(next.substr(e));
  }
  r.head = r.second.empty() ? r.opening : r.opening + " " + r.second;
  r.lead = word_count(r.opening) <= 4 ? r.head : r.opening;
  return r;
}

// A symbol (U+2000-U+2FFF) or an emoji (U+1F000 on) opens the line: ✅ ☑️ 👉 🔹.
bool symbol_first(const std::string& line) {
  const auto c0 = static_cast<unsigned char>(line[0]);
  const auto c1 = line.size() > 1 ? static_cast<unsigned char>(line[1]) : 0;
  return c0 == 0xE2 || (c0 == 0xF0 && c1 == 0x9F);
}

// Each rule below returns its name when it fires (nullptr otherwise), so a
// post's hook can be explained ("list.items") and each rule's support counted.
using Rule = const char*;

bool asks(const std::string& o) {
  return (!o.empty() && o.back() == '?') ||
         (o.size() >= 3 && o.compare(o.size() - 3, 3, "\xEF\xBC\x9F") == 0) ||    // ？
         (o.compare(0, 2, "\xC2\xBF") == 0 && o.find('?') != std::string::npos);  // ¿...?
}

// ---- list ------------------------------------------------------------------

// Item lines: a bullet, a dash or star, a number ("1." "2)" "(3)" "①" a keycap)
// or "Step 1".
bool item_line(const std::string& line) {
  static const Regex kItem(
      R"(^(\d{1,2}[.):-]\s|\d{1,2}\s*(–|—)\s|\(\d{1,2}\)\s|[a-h][.)]\s|step \d{1,2}\b|[-*+>]\s?|•|▪|◦|·|→|➤|➡|►|①|②|③|④|⑤|⑥|⑦|⑧|⑨|⑩|\d(\xEF\xB8\x8F)?\xE2\x83\xA3))",
      kIcase);
  return kItem.search(line) || symbol_first(line);
}

std::string leading_symbol(const std::string& line) {
  const unsigned char c = static_cast<unsigned char>(line[0]);
  const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return line.substr(0, n);
}

// At least three item lines that are the post's content: the first within the
// first four lines, items at least half of the lines from there on, and a
// lead-in that is not an announcement (job duties, thanks, an event's details).
// An emoji or symbol counts as a bullet only when a neighbouring line starts with it too.
Rule list_items(const Reading& r) {
  static const Regex kAnnouncement(
      R"(\b(hiring|seeking|looking for|job|position|vacanc\w*|apply|thank\w*|grateful|congrat\w*|join us|register|tickets|venue|agenda|speakers|to enter|giveaway|contest|raffle|sweepstakes)\b)",
      kIcase);
  static const Regex kBullet(R"(^(•|▪|◦|·|→|➤|➡|►))");
  int first_item = -1, items = 0;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const std::string& line = r.lines[i];
    bool item = item_line(line);
    if (item && symbol_first(line) && !kBullet.search(line)) {
      const std::string s = leading_symbol(line);
      const bool prev = i > 0 && leading_symbol(r.lines[i - 1]) == s;
      const bool next = i + 1 < r.lines.size() && leading_symbol(r.lines[i + 1]) == s;
      item = prev || next;
    }
    if (item) {
      if (first_item < 0) first_item = static_cast<int>(i);
      ++items;
    }
  }
  // "Our new release: • faster sync • dark mode • offline drafts" on one line
  // (that line may itself open with one: "• Be curious. • Take risks. • ...").
  // The lead-in before the first item is not an announcement's, a thanks' or a job ad's.
  if (items < 3 && !r.lines.empty()) {
    const std::string& line = r.lines[0];
    size_t bullets = 0;
    const size_t first = line.find("\xE2\x80\xA2");
    for (size_t at = first; at != std::string::npos; at = line.find("\xE2\x80\xA2", at + 1))
      ++bullets;
    if (bullets >= 3)
      return any(line.substr(0, first), kAnnouncement) ? nullptr : "list.inline_bullets";
    // "Three rules: 1) sleep 2) walk 3) read" on one line: each number found
    // after the one before (one pattern for the three backtracks without end on
    // a long line).
    static const Regex kFirst(R"((^|\s|:)\(?1[.)]\s+\S)");
    static const Regex kSecond(R"(\s\(?2[.)]\s+\S)");
    static const Regex kThird(R"(\s\(?3[.)]\s+\S)");
    RegexMatch m;
    if (!kFirst.search(line, m)) return nullptr;
    const size_t lead = m.position();
    std::string_view rest = std::string_view(line).substr(m.position() + m.length());
    if (kSecond.search(rest, m) && kThird.search(rest.substr(m.position() + m.length()))) {
      return any(line.substr(0, lead), kAnnouncement) ? nullptr : "list.inline_bullets";
    }
  }
  if (items < 3 || first_item > 3) return nullptr;
  for (int i = 0; i < std::max(first_item, 1); ++i) {
    if (any(r.lines[static_cast<size_t>(i)], kAnnouncement)) return nullptr;
  }
  const int tail = static_cast<int>(r.lines.size()) - first_item;
  return items * 2 >= tail ? "list.items" : nullptr;
}

// An announced count opening the post: "Top 10 ...", "5 things ...", "3 ways to
// ...", or N of any plural thing framed by a colon, 👇 or 🧵 ("7 tools every analyst
// needs:"), or N and a superlative ("10 best hikes"). Durations and amounts ("18 months
// ago", "3 mins till") are not items, and two of anything are not a list, not even a
// "Top 2" ("My Top 2 artists: A & B").
Rule list_count(const Reading& r) {
  // N things: a count, up to three words, and a plural noun of what lists list.
  static const std::string kCount =
      R"((top\s*-?\s*([3-9]|[1-9]\d{1,2})\b|([3-9]|[1-9]\d{1,2})\s+(best|worst|most|greatest|biggest|essential|must-\w+|favou?rite|underrated|overlooked)\b|([3-9]|[1-9]\d)\s+([\w'-]+\s+){0,3}(ways|things|reasons|tips|tricks|habits|mistakes|signs|rules|lessons|steps|facts|books|courses|tools|websites|sites|resources|ideas|questions|apps|movies|films|shows|songs|albums|places|skills|examples|quotes|projects|principles|hacks|strategies|secrets|takeaways|libraries|packages|podcasts|blogs|papers|newsletters|channels|features|functions|commands|shortcuts|extensions|plugins|repos|repositories|datasets|recipes|games|trends|predictions|picks|highlights|reads|certifications|myths|truths|laws|benefits|advantages|alternatives|options|insights|lessons|concepts|terms|questions|moves|exercises|workouts|stretches|poses|foods|snacks|drinks|remedies|swaps|types|causes|symptoms|sources|products|ingredients)\b))";
  // Opening the post (after a short label: "ICYMI: 8 ways ...", "Pet owners: Here are 12
  // reasons ..."; "top N" after two words: "The Hot100 top 10"), or inside it, pointed at: "try
  // these 11 moves", "See 11 signs ...", "Here are 13 ways ...", "See what 10 home remedies ...".
  static const Regex kFrame(
      R"(^([\w' -]{1,20}:\s*)?(the\s+|my\s+|our\s+|these\s+|here are\s+|here'?s\s+(my|our|the)\s+|here is\s+(my|our|the)\s+)?)" +
          kCount,
      kIcase);
  static const Regex kPointed(R"(\b(these|here are|see|see the|see what)\s+)" + kCount, kIcase);
  static const Regex kTop(R"(^([\w'-]+\s+){0,2}top\s*-?\s*([3-9]|[1-9]\d{1,2})\b)", kIcase);
  static const Regex kCounted(
      R"(^(the\s+|my\s+|our\s+|these\s+|here are\s+)?([3-9]|[1-9]\d)\s+([\w'-]+\s+){0,2}[a-z'-]+s\s+(that|to|for|you|every|i|we|everyone|of)\b.*(:|👇|⬇️|🧵)\s*$)",
      kIcase);
  // A listicle's headline alone (its link gone): "6 Exercise Tweaks That Make a Big
  // Difference", "7 Shakes You Can Make at Home"; not a number of people or of time.
  static const Regex kHeadline(
      R"(^([3-9]|[1-9]\d)\s+([\w'-]+\s+){0,2}(?!(years|months|weeks|days|hours|minutes|seconds|times|people|men|women|kids|children|deaths|cases|millions?|billions?|thousands?)\b)[a-z'-]+s\s+(that|you|to|for|every)\b)",
      kIcase);
  const bool short_opening = word_count(r.opening) <= 4;
  if (any(r.opening, kFrame) || any(r.opening, kCounted) || any(r.opening, kTop) ||
      (short_opening && any(r.second, kFrame)) || any(r.head, kPointed) ||
      (r.rest.empty() && any(r.opening, kHeadline)))
    return "list.count";
  // Or the framing after a line of context: "Google offers free courses.\nHere are 10 ...".
  static const Regex kHereAre(R"(^(here are|here'?s|these are)\s)", kIcase);
  for (size_t i = 1; i < std::min<size_t>(r.lines.size(), 3); ++i) {
    const std::string line = lower(without_leading_symbols(r.lines[i]));
    if (any(line, kHereAre) && any(line, kFrame)) return "list.count";
  }
  return nullptr;
}

// Lines that are the post's content after a lead-in ending in a colon ("2022 recap:",
// "Scores by city:"): the first line is the lead-in (a short one, not an
// announcement's or a thanks'), and at least three short lines follow it in a row
// (at most eight words, no sentence inside), at least half of what follows, none of
// them an announcement's details (a date, a time, a place, a price, a link).
Rule list_lines(const Reading& r) {
  static const Regex kDetail(
      R"(\b(date|dates|time|times|place|venue|location|where|when|price|prices|cost|fee|fees|tickets?|register|registration|rsvp|link|zoom|room|hall|address|deadline|contact|email|phone|fecha|hora|lugar|precio|free|online)\b|\d{1,2}[:.h]\d\d|\b\d{1,2}\s*(am|pm)\b|\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?|dec(ember)?)\b|\b(mon|tues?|wed|thur?s?|fri|sat|sun)(day|nesday|urday)?\b|\b(today|tomorrow|tonight)\b)",
      kIcase);
  static const Regex kAnnouncement(
      R"(\b(hiring|seeking|looking for|job|position|vacanc\w*|apply|thank\w*|grateful|congrat\w*|join us|register|tickets|venue|agenda|speakers|to enter|giveaway|contest|raffle|sweepstakes|event|webinar|workshop|meetup|session|conference|talk)\b)",
      kIcase);
  if (r.lines.size() < 4) return nullptr;
  const std::string& lead = r.lines[0];
  const bool introduces = lead.back() == ':' || ends_with(lead, "\xF0\x9F\x91\x87") ||  // 👇
                          ends_with(lead, "\xE2\xAC\x87\xEF\xB8\x8F") ||                // ⬇️
                          ends_with(lead, "\xE2\xAC\x87");
  if (!introduces || word_count(lead) > 12 || any(lead, kAnnouncement)) return nullptr;
  size_t run = 0;
  for (size_t i = 1; i < r.lines.size(); ++i) {
    const std::string& line = r.lines[i];
    if (word_count(line) > 8 || sentence_end(line) < line.size() || any(line, kDetail)) break;
    ++run;
  }
  return run >= 3 && run * 2 >= r.lines.size() - 1 ? "list.lines" : nullptr;
}

// ---- how_to ----------------------------------------------------------------

// An instruction: the text opens with a verb in the imperative ("delete the buggy
// code", "Preheat the oven", "Don't skip the tests"). The verbs are those of doing
// and making that a tip or a step tells the reader to do.
bool imperative(const std::string& s) {
  static const Regex kVerb(
      R"(^((don'?t|do not|never|always|just|first|then|now|finally|next)\s+)?(use|call|run|press|type|pass|wrap|install|set|add|try|replace|swap|switch|enable|disable|combine|delete|remove|check|make|keep|write|read|start|avoid|open|close|save|create|build|put|take|get|give|turn|click|tap|select|copy|paste|drag|hold|choose|pick|find|practi[cs]e|ask|split|cut|mix|stir|bake|boil|preheat|grind|steep|filter|pour|heat|cook|let|go|focus|test|measure|update|upgrade|restart|clear|move|rename|store|download|upload|import|export|define|load|print|plot|fit|apply|convert|pipe|sort|group|merge|push|pull|commit|clone|deploy|configure|connect|drink|eat|sleep|plan|schedule|prepare|review|compare|reduce|limit|increase|prefer|skip|batch|automate|log|track|back up|wash|clean|soak|chop|slice|season|place|fill|cover|remember|learn|study|identify|go|pick|wait|rinse|drain|serve|grab|spend|leave|note|list|draw|sketch|document|simplify|refactor|debug|profile|benchmark|comment|pin|block|mute|unfollow|turn off)\b)",
      kIcase);
  return kVerb.search(s);
}

// Numbered steps: at least three numbered lines ("1." "2)" "Step 3"), most of them
// instructions. A numbered list of things is a list; a numbered list of things to do,
// in order, teaches how.
bool numbered_instructions(const Reading& r) {
  static const Regex kNumbered(
      R"(^(\d{1,2}[.):]|\(\d{1,2}\)|step \d{1,2}\s*[.):-]?|\d(\xEF\xB8\x8F)?\xE2\x83\xA3)\s*)",
      kIcase);
  int numbered = 0, instructions = 0;
  for (const auto& line : r.lines) {
    RegexMatch m;
    if (!kNumbered.search(line, m)) continue;
    ++numbered;
    if (imperative(lower(line.substr(m.length())))) ++instructions;
  }
  // A contest's rules ("1. Follow us 2. Retweet 3. Tag a friend") are a call to action.
  static const Regex kContest(R"(\b(giveaway|win|winner|enter|contest|retweet|rt|tag)\b)", kIcase);
  return numbered >= 3 && instructions * 3 >= numbered * 2 && !any(r.all, kContest);
}

Rule numbered_steps(const Reading& r) {
  return numbered_instructions(r) ? "how_to.steps" : nullptr;
}

// Phrases that mention "how to" without teaching it: "I don't know how to", "figure out how to".
std::string without_not_knowing(const std::string& s) {
  static const Regex kNotKnowing(
      R"(\b(don'?t|do not|didn'?t|doesn'?t|never|no idea|not sure|unsure|wonder(ing|ed)?|figur(e|ed|ing) out|forg[eo]t|knows?|ask(ed|ing)?|learning|deciding|choose|choosing) how to\b|(no (s(é|e)|sab\w+|entiendo|tengo idea de)|ni idea de) c(ó|o)mo\b)",
      kIcase);
  return kNotKnowing.replace_all(s, " ");
}

// The text calls itself teaching: tutorial, a guide to, step by step, walkthrough, a
// learning roadmap, a recipe, "learn (how) to", "shows how to", "tips for", "stay cool
// by taking these steps" (a link presented as steps) (and
// es/fr/de/pt/ja words). Not a cheat sheet: a reference, not a how (the guide's
// rulings name tutorial, guide, learn, here's how, roadmap).
bool says_it_teaches(const std::string& s) {
  static const Regex kTeaching(
      R"(\b(tutorials?|(follow(ing)?|tak(e|ing)) these (\d+ )?((simple|easy|quick|basic)\s+)?steps|tips (and|&) tricks (for|on|to|in|with)|(here'?s|here is|this is|try this|found|learned|learnt)\s+(a|an|the|my)\s+(quick|easy|simple|fast|faster|easier|easiest|neat|clever|handy|better|best) (way|trick|method|technique|hack) to|(simple|easy|quick|few|basic) steps (to|for)|step[- ]by[- ]step|walk-?through|how[- ]to (guide|video|series|thread)|(guide|intro|introduction|primer|crash course) (to|for|on)\b|(complete|ultimate|beginner'?s?|definitive|practical|quick|visual|illustrated|handy|step-by-step) guide|guide\s*:|in \d+ (easy |simple |quick )?steps|(learning|study) roadmap|roadmap (to|for) (learn|becom|master)|follow (this|the|my|our) roadmap|(show|teach|walk)(s|ing)? you (how|through)|(show|explain|detail|describ|document|demonstrat|illustrat|outlin|shar)(e|es|ed|s|ing)? how to|(show|explain|detail|describ|document|demonstrat|illustrat|outlin|shar)(e|es|ed|s|ing)? how (i|we) (\w+ed|built|made|got|grew|cut|won|wrote|ran|took|set up|went|do|did|use|run|build|make|keep)|((walk|break)(s|ed|ing)? (through|down)|(write|wrote|writing) up) how (to|i|we)|(thread|post|article|blog|video|talk|piece|notes|course|workshop|webinar|lesson|chapter|vignette|write-?up|slides|advice|series|explainer|demo|tips)\b[^.!?]{0,40}\b(on|about|explaining|showing|covering) how (to|i|we|you)|(course|resource|material|book|site|website|notes|document|video|playlist|repo|roadmap|way|place|path)s?\b[^.!?:]{0,40}\b(to learn|for learning)(?!\s+(about|more)\b)|(learn|discover|find out) how to|(you'?ll|you will|you can|help you|helps you|let'?s) learn (how )?to)\b|(^|[.!:;]\s+)(learn (how )?to|learn (?!(more|about|why|what|who|where|when|from|that|of|it|this)\b)\w+|((some|a few|quick|my|our|top|pro|useful|practical|simple|easy)\s+)?(tips|tricks) (for|on|to))\b)", kIcase);
  static const Regex kTeachingIntl(
      R"((^|\s|¡)(tutorial|tutos?\b|gu(í|i)a (de|para|completa|pr(á|a)ctica)|paso a paso|aprende a |para (aprender|el aprendizaje)|pour apprendre|consejos para|trucos para|tutoriel|(é|e)tape par (é|e)tape|apprendre (à|a) |apprenez (à|a) |astuces? pour|anleitung|so geht'?s|schritt f(ü|u)r schritt|tipps (f(ü|u)r|zum|zur)|passo a passo|aprenda a |dicas (de|para))|やり方|使い方|作り方|手順|チュートリアル|入門|する方法|のコツ)",
      kIcase);
  // The words the guide names for a link presented as teaching, in their other forms:
  // "a new/free/detailed ... guide", a roadmap (not a product's or a policy's), a recipe
  // given ("Recipe:", "an easy X recipe", "Try this chicken recipe tonight", the recipe
  // of the day; not "a recipe for disaster" nor someone's secret recipe), DIY.
  static const Regex kTeachingWords(
      R"(\b(new|free|full|short|simple|detailed|comprehensive|in-depth|handy|helpful|useful)\s+([\w'-]+\s+){0,2}guide\b(?!\s+dogs?\b)|(^|[^\w ]\s*|\b(a|an|the|my|this|new|free|data|learning|career|developer|beginner'?s?|[a-z]+ (science|engineer(ing)?|analy(st|tics)|developer|learning)) )roadmap\b|\b((easy|simple|quick|healthy|homemade|vegan|vegetarian|best|favou?rite|family|new)\s+([\w'-]+\s+)?recipes?|recipes?\s*:|recipes? (for|to) (?!(disaster|success|chaos|trouble)\b)|recipe\s*of\s*the\s*day)|\b(try|make|cook|bake)\s+(this|these|our|my)\b[^.!?]{0,30}\brecipes?\b|\bdiy\b|(^|\s)(receta|recette|rezept)\b)",
      kIcase);
  static const Regex kTourGuide(
      R"(\b(tour|tv|museum|mountain|trail|fishing|travel|safari|city|local) guide\b)", kIcase);
  return ((any(s, kTeaching) || any(s, kTeachingWords)) && !any(s, kTourGuide)) ||
         any(s, kTeachingIntl);
}

// Teaches how to do something. Signals, read in the first two sentences:
//   how_to.title       "How to ...", "How I built ...", "Cómo hacer ...", "Comment installer ..."
//   how_to.heres_how   "Here's how (to|I|we|you|:)", "This is how you ..."
//   how_to.teaching    the text calls itself teaching (says_it_teaches), or a question
//                      leads in to what does ("Dinner tonight? Try this recipe")
//   how_to.tip         a tip by its label: "Tip:", "Pro tip:", "Hack:" (in question form too)
//   how_to.steps       "Step 1" ... "Step 2"; two instructions in a row, not an offer
//   how_to.instruction an instruction with its purpose: "Press Ctrl+K to reopen ...",
//                      "Use X instead of Y", "You can pipe X to Y"
// Not: asking how (a question, unless the post answers "Here's how"), logistics
// ("how to reach us", "how to apply"), not knowing how, offers ("Try our burger to ...").
Rule how_to(const Reading& r) {
  static const Regex kHereIsHow(
      R"(\b(here'?s|here is|heres) how\b\s*(:|$|\b(to|i|we|you)\b)|\bthis is how (you|to)\b)",
      kIcase);
  // What the author just learned you can do is a tip, whatever the verb: "TIL you can
  // ...", "Did you know you can ...?" (a question in form only).
  static const Regex kLearnedYouCan(
      R"(^(til|today i learned|did you know|fun fact|psa)\b\s*:?\s*(that )?([^.!?]{0,40}\s)?(you|u) can\b)",
      kIcase);
  // A need asked, then met with an instruction: "Need to rename many files? Use
  // rename(1).", "Want faster builds? Cache your dependencies." (Not a pointer to
  // something else: "Want to build apps? Check out this course!")
  static const Regex kNeed(
      R"(^((do you |ever )?(want|need|wanted|needed|wish you could|have to)|wanna|looking for|tired of|struggling (with|to)|trying to|stuck)\b)",
      kIcase);
  static const Regex kSells(
      R"(\b(our|us|me|code|shop|order|buy|sign up|register|join|subscribe|apply|dm|contact|call|visit|go to)\b)",
      kIcase);
  // News reporting someone's advice ("Skip the avocado toast, a mogul suggests") is not a tip.
  static const Regex kReported(
      R"(,\s*([\w'-]+\s+){0,5}(says|said|suggests|suggested|claims|argues|warns|writes|reports)\b)",
      kIcase);
  // A tip by its label, after at most three words ("Quick tip:", "My second rstats tip:",
  // "Trick of the day:"); a strategy or advice by its label when an instruction follows
  // ("Debugging strategy: delete the buggy code").
  static const Regex kTipLabel(
      R"(^([\w'-]+\s+){0,3}(pro\s*)?(tip|tips|protip|hack|life ?hack|trick|consejo|astuce|tipp|dica)(\s+(of|for) the (day|week))?\s*(#?\d+)?\s*:)",
      kIcase);
  static const Regex kAdviceLabel(
      R"(^([\w'-]+\s+){0,2}(strategy|advice|shortcut|rule of thumb|reminder|psa)\s*:\s*)", kIcase);
  if (asks(r.opening)) {
    if (any(r.opening, kLearnedYouCan)) return "how_to.instruction";
    // A tip labelled so is one in question form too ("My fourth tip: have a Word-loving
    // collaborator? Knit to docx."), and a question may lead in to what teaches
    // ("Dinner tonight? Try this scallop recipe").
    if (any(r.opening, kTipLabel)) return "how_to.tip";
    if (!asks(r.second) && says_it_teaches(r.second)) return "how_to.teaching";
    static const Regex kPointer(R"(^check\s+(it\s+)?out\b)", kIcase);
    if (any(r.opening, kNeed) && imperative(r.second) && !any(r.second, kSells) &&
        !any(r.second, kReported) && !any(r.second, kPointer))
      return "how_to.tip";
    return any(r.second, kHereIsHow) ? "how_to.heres_how" : nullptr;
  }
  static const Regex kLogistics(
      R"(\bhow to (reach|contact|find|get to|get in touch|apply|register|join|enter|order|buy|book|vote|donate|sign up|watch|listen|subscribe)\b)",
      kIcase);
  const std::string head = without_not_knowing(r.head);
  if (any(head, kLogistics)) return nullptr;
  // Multi-byte characters go in alternations (the regexes read brackets byte by byte);
  // \b is ASCII-only, so the other languages' words are bounded by a space or the start.
  static const Regex kTitle(
      R"((^|:\s*|\|\s*|(-|–|—)\s+)how[- ]to\b|^(how (i|we) (\w+ed|built|made|got|grew|cut|won|wrote|ran|took|set up|went|teach|use|run|build|make|keep)\b|(c(ó|o)mo) \w+(ar|er|ir)\b|comment (?!(here|there|where|more|before|after|over|under|never|ever|other|either|whatever|together|entire|sure)\b)\w+(er|ir|re)\b|wie man\b|getting started with\b)|(^|\s)c(ó)mo \w+(ar|er|ir)(lo|la|los|las|se|te)?\b)",
      kIcase);
  static const Regex kOffer(
      R"(\b(code|coupon|off|discount|sale|shop|store|order|buy|deal|shipping|tickets?|win|giveaway|prize|sign up|register|subscribe|follow|vote|donate|apply|our|my|me|us)\b)",
      kIcase);
  // A tutorial's title in the imperative: "Build a REST API with FastAPI [link]" (not
  // "Make your home happy with these secrets", pointing at content).
  static const Regex kImperativeTitle(
      R"(^(build|create|make|deploy|write|set up|install|train|plot|visuali[sz]e|scrape|analy[sz]e|automate)\b[^.!?]{3,60}\b(with(?!\s+(this|these|those|our|my|some|a few)\b)|using|in \d+ (minutes|steps|lines)|from scratch)\b)",
      kIcase);
  const std::string opening = without_not_knowing(r.opening);
  if (any(opening, kTitle) || (word_count(r.opening) <= 4 && any(r.second, kTitle)) ||
      (any(r.opening, kImperativeTitle) && !any(r.opening, kOffer)))
    return "how_to.title";
  if (any(head, kHereIsHow)) return "how_to.heres_how";
  if (says_it_teaches(head)) return "how_to.teaching";
  if (any(r.opening, kTipLabel) || any(r.second, kTipLabel)) return "how_to.tip";
  // Or a tip's label on a line of its own, heading what follows ("Expense report time!
  // I'm done with mine.\nTips:\n✅ Category: events ...").
  for (size_t i = 1; i + 1 < r.lines.size() && i < 4; ++i) {
    if (ends_with(r.lines[i], ":") && any(r.lines[i], kTipLabel)) return "how_to.tip";
  }
  // A tip given in so many words, then the instruction: "a hot tip - add mac & cheese".
  static const Regex kTipGiven(R"(\b(tip|hack|trick)\s*(:|-|–|—)\s*(.*)$)", kIcase);
  if (RegexMatch m; kTipGiven.search(r.opening, m) && imperative(m.str(3))) return "how_to.tip";
  if (any(r.opening, kAdviceLabel) && imperative(kAdviceLabel.replace_first(r.opening, "")))
    return "how_to.tip";
  static const Regex kStep1(R"(\bstep (1|one)\b)", kIcase), kStep2(R"(\bstep (2|two)\b)", kIcase);
  if (any(r.all, kStep1) && any(r.all, kStep2)) return "how_to.steps";
  // Steps without numbers: the post opens with an instruction and the next sentence
  // or line is one too ("go to linkedin. search 'we're hiring' posts ...").
  static const Regex kPromo(
      R"(\b(code|coupon|\d+% off|discount|sale|shop|order now|buy|deal|shipping|tickets?|giveaway|win|prize|sign up|register|subscribe|follow (us|me)|tag a friend|vote|donate|apply|link in bio)\b)",
      kIcase);
  if (imperative(r.opening) && imperative(r.second) && !any(r.all, kPromo)) return "how_to.steps";
  // "to" + a verb is a purpose; "to the list", "to your ..." is a place.
  static const Regex kInstruction(
      R"(^((for|to|if you want to) [^,]{3,60}?,?\s*)?(use|call|run|press|type|pass|wrap|install|set|add|try|replace|swap|switch|enable|disable|combine|delete|remove|avoid|keep|write|save|store|put|make sure|remember|skip|split|drink|eat|wash|soak|mix|bake|cook|heat|freeze|turn (on|off)|hold|click|tap|restart|clear|rename|pipe|sort|filter|convert|check\b(?!\s+(it\s+)?out\b))\b[^.!?]{2,80}\b(to (?!(the|a|an|your|my|our|his|her|their|me|us|you|it|this|that|these|those|them|him|work|school|bed|see|find|learn|know|hear|read|watch|win|join|celebrate|catch|check|stay|support|help|get (notified|updates|the latest))\b)\w+|instead of|rather than|so that|so you|when you|before you|by \w+ing)\b)",
      kIcase);
  static const Regex kYouCan(
      R"(^((til|today i learned|did you know)\s*:?\s*(that )?|(in|with|on|from) [^,]{1,30},\s*)?you can (now |also |easily |just |even )?(use|press|type|run|call|pass|set|add|install|combine|pipe|wrap|replace|convert|switch|turn|hold|drag|click)\b[^.!?]{2,80}\b(to (?!(the|a|an|your|my|our|his|her|their|me|us|you|it|this|that|these|those|them|him)\b)\w+|instead of|rather than|by \w+ing)\b)",
      kIcase);
  if ((any(r.opening, kInstruction) || any(r.opening, kYouCan) || any(r.opening, kLearnedYouCan)) &&
      !any(r.opening, kOffer))
    return "how_to.instruction";
  return nullptr;
}

// ---- myth_busting, contrarian ----------------------------------------------

// A myth or false claim named as one ("Myth:", "a common misconception", "debunked",
// "contrary to popular belief", "X doesn't actually ...", "that's not true"), or a
// claim denied at the start ("No, the bridge is not closing"). A topic is not a
// myth: "nutrition myths", "the myth of Sisyphus".
Rule myth_busting(const Reading& r) {
  static const Regex kMyth(
      R"(^(myths?|misconceptions?|mito|mythe|mythos|fake)\s*(#?\d+)?\s*:|\b(biggest|common|popular|persistent|dangerous|another|greatest|old|widespread) (myth|misconception)s?\b|\b(myth|misconception)s? (that|about)\b|\b(is|it'?s|that'?s|was|are) (a|an old|just a|another) (myth|misconception)\b|\ban urban (myth|legend)\b|\bmyth[- ]?bust|\bmyths? (vs\.?|and|versus) facts?\b|\bdebunk\w*|\bstop believing\b|\bfact[- ]?check\w*|\bcontrary to (popular|common) belief\b|\b(is|are|was|were)( not|n't) true\b|\bthat'?s (false|not true)\b|\b(doesn'?t|don'?t|does not|do not|isn'?t|aren'?t|is not|are not|didn'?t|did not) actually\b)",
      kIcase);
  static const Regex kNo(R"(^no[,.!]\s+\w+.*\b(not|n't|never|false|fake)\b)", kIcase);
  if (any(r.lead, kMyth)) return "myth.named";
  return any(r.opening, kNo) ? "myth.denied" : nullptr;
}

// Set against the crowd, asserted (not asked): a take announced as one ("Unpopular
// opinion:", "Hot take:", "overrated", "underrated", "a scam", "you don't need X"),
// "Stop doing X", or the crowd named and then opposed ("Everyone loves X. Most teams
// should not ..."). A plain complaint is not contrarian.
Rule contrarian(const Reading& r) {
  if (asks(r.opening)) return nullptr;
  static const Regex kTake(
      R"(\b(unpopular opinion|hot take|controversial (opinion|take)|opini(ó|o)n impopular|opinion impopulaire|unpopul(ä|a)re meinung|everyone (says|thinks|believes|is wrong)|everybody (says|thinks)|most people (think|believe|assume)|over-?rated|under-?rated|(is|are) (a|such a|a total|a complete|all a) scam|conventional wisdom|the opposite is true|(people|everyone|y'?all|folks|they) (be )?(act|acting) like|be acting like|change my mind|you don'?t (actually |really )?need (a|an|to|more)\b|nobody (needs|should))\b)",
      kIcase);
  if (any(r.lead, kTake)) return "contrarian.take";
  static const Regex kStop(
      R"((^|[.!:;]\s+|\b(i'?d|i would|we should|you should|let'?s|just|please|so)\s+(say\s+)?)stop\s+\w+ing\b)",
      kIcase);
  if (any(r.lead, kStop)) return "contrarian.stop";
  static const Regex kCrowd(
      R"(^(everyone|everybody|most people|people|the internet)( (keeps?|always))? (tells? you|loves?|hates?|seems to think|wants?)\b.*\b(but|not|n't|wrong|actually|however|yet|instead|never|no)\b)",
      kIcase);
  return any(r.head, kCrowd) ? "contrarian.crowd" : nullptr;
}

// ---- surprising_stat -------------------------------------------------------

// A specific number leading the opening as a finding: a percentage, ratio or
// multiplier early in it (or the point of a short one), a fraction of a population
// ("almost half of", "one in five", "3 of 4 in CA"), or an amount that rose or fell. Not: a
// discount ("20% off"), 100%, the author's own numbers ("I", "we": a milestone),
// years, durations, list numbers and the other kinds numbers.h reads as no statistic.
Rule surprising_stat(const Reading& r) {
  static const Regex kFraction(
      R"(^((almost|nearly|over|more than|about|roughly|only|just|less than)\s+)?(half|a third|one third|a quarter|two[- ]thirds|three[- ]quarters|the majority|one in \w+)\s+of\b)",
      kIcase);
  // "3 of 4 in CA are unaware ...", "1 out of 5 adults ...": a part of every so many
  // (of people or of a population's cases; "2 of 3 games" is a schedule).
  static const Regex kPartOf(
      R"(^((almost|nearly|over|more than|about|roughly|only|just|less than)\s+)?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine) (of|out of|in) (every )?(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+(in|of|people|adults|americans|women|men|children|kids|teens|students|workers|employees|patients|doctors|nurses|teachers|voters|parents|residents|citizens|renters|homeowners|tenants|consumers|customers|shoppers|drivers|smokers|households|families|users|developers|companies|businesses|startups|respondents|deaths|cases)\b)",
      kIcase);
  if (any(r.opening, kFraction) || any(r.opening, kPartOf)) return "stat.fraction";
  static const Regex kFirstPerson(R"(^(i|i'm|i've|i'd|my|we|we're|our)\b)", kIcase);
  if (any(r.opening, kFirstPerson)) return nullptr;
  // A number alone ("▓▓▓░░░ 27%", a progress bar) is no finding: a finding says in
  // words what it counts.
  static const Regex kWord(R"([a-z]{2,})", kIcase);
  if (!any(r.opening, kWord)) return nullptr;
  static const Regex kChange(
      R"(\b(rose|fell|increased|decreased|dropped|grew|jumped|doubled|tripled|halved|surged|plunged|soared|declined|climbed|subido|bajado|aumentado|crecido|caído|stieg|sank)\b)",
      kIcase);
  static const Regex kDiscount(R"(^\s*(off|discount|sale|cashback)\b)", kIcase);
  static const Regex kSave(R"(\b(save|up to|extra|flat|get)\s*$)", kIcase);
  const bool change = any(r.opening, kChange);
  for (const auto& n : read_numbers(r.opening)) {
    const bool measure = n.kind == NumberKind::kPercent || n.kind == NumberKind::kRatio ||
                         n.kind == NumberKind::kMultiplier;
    if (!measure && !(is_statistic(n.kind) && change)) continue;
    if (n.kind == NumberKind::kPercent && (n.text == "100%" || n.text == "100 %")) continue;
    const size_t at = r.opening.find(lower(n.text));
    if (at == std::string::npos) continue;
    if (any(r.opening.substr(at + n.text.size()), kDiscount) || any(r.opening.substr(0, at), kSave))
      continue;
    const int before = word_count(r.opening.substr(0, at));
    if (before <= 8 || change || word_count(r.opening) <= 20) return "stat.measure";
  }
  return nullptr;
}

// ---- personal_story --------------------------------------------------------

// The author's own past told as a story: a narrative opening (a time in the past
// with "I", "when I was", "I once", "I used to", "the day I", "my first job", "I quit",
// "I tracked X for 6 months", "(I) spent months trying ...": the "I" is often dropped)
// with more than one beat (another sentence, or a turn:
// "but", "then", "taught me"). Not news about the author ("excited to announce",
// "I joined"), a status, a feeling, an opinion.
Rule personal_story(const Reading& r) {
  static const Regex kNarrative(
      R"(^((\d+|a few|two|three|four|five|ten|many|some) (years|months|weeks|days) ago,?\s+(i|we|my)\b|years ago\b|when i (was|first|started|moved|left|got)\b|i once\b|i used to\b|i remember (when|the day|the first)\b|the (day|night|year|moment) i\b|(last|this) (year|month|week|night|summer|winter|spring|fall|autumn|morning),?\s+(i|my)\b|yesterday,?\s+i\b|(back )?in (19|20)\d\d,?\s+(i|we)\b|(the )?first time i\b|(as a kid|as a child|growing up),?\s+i\b|story time\b|true story\b|my first (day|job|week|talk|year|time|attempt|startup|boss)\b|i (quit|got fired|was fired|dropped out|almost|nearly|failed|lost my)\b|i (tracked|tried|tested|changed|ignored|spent|ran|lived|worked|studied|kept|skipped|avoided)\b[^.!?]*\bfor (\d+|a few|two|three|four|five|six|ten|several|many|some)? ?(years|months|weeks|days)\b|(i )?(spent|wasted) (\d+|a few|two|three|four|five|six|ten|several|many)? ?(years|months|weeks|days) \w+ing\b))",
      kIcase);
  static const Regex kNews(
      R"(\b(excited|thrilled|happy|proud|pleased|honou?red|delighted) to (announce|share|join|be|have|present)|\bi('ve| have)? (joined|accepted)\b|\bnew (job|role|position|chapter|office|team|company)\b|\bjoin(ing)? (us|me)\b)",
      kIcase);
  if (any(r.all, kNews)) return nullptr;
  static const Regex kTurn(
      R"(\b(but|and then|until|then|finally|turned out|taught me|realized|realised|learned|learnt|lesson|since then|now|so|because|that'?s when|that'?s how)\b)",
      kIcase);
  const bool beats = r.rest_sentences >= 1 || any(r.opening, kTurn);
  if (any(r.opening, kNarrative))
    return word_count(r.all) >= 12 && beats ? "story.narrative" : nullptr;
  // An experience with its turn in the first sentence ("I took longer than usual to
  // ... but the preprint has now been cited 70 times"), told at some length.
  static const Regex kExperience(
      R"(^i (took|spent|tried|had|went|got|lost|missed|failed|struggled|waited|worked|thought|believed|assumed|used to|started|ignored|quit)\b[^.!?]*\b(but|until|turned out|and then|only to)\b)",
      kIcase);
  static const Regex kStatus(R"(\b(thanks?|thank you|great time|see you|can'?t wait)\b)", kIcase);
  return any(r.opening, kExperience) && !any(r.all, kStatus) && word_count(r.all) >= 25
             ? "story.turn"
             : nullptr;
}

// ---- question --------------------------------------------------------------

// A dialogue, on lines or run together ("Flight attendant: Is there a doctor?
// Dad: ... Me: ... Dad: ..."): at least three speakers' labels, the first
// opening the post, a speaker speaking again (labels of context that do not
// come back, "Context: ... Budget: ...", are no dialogue). Its questions are
// the speakers', quoted.
bool dialogue(const Reading& r) {
  static const Regex kSpeaker(R"((^|\s)([A-Z][a-z']+( [a-z']+)?):\s)");  // case-sensitive
  std::string text;
  for (const auto& line : r.lines) text += line + "\n";
  RegexMatch m;
  if (!kSpeaker.search(text, m) || m.position() != 0) return false;
  std::map<std::string, int> labels;
  int count = 0;
  for (std::string_view rest = text; kSpeaker.search(rest, m);
       rest = rest.substr(m.position() + m.length())) {
    ++labels[lower(m.str(2))];
    ++count;
  }
  const bool again =
      std::any_of(labels.begin(), labels.end(), [](const auto& l) { return l.second > 1; });
  return count >= 3 && again;
}

// A real question put to the reader, opening the post: its first sentence ends in
// "?" or "？" or opens with "¿" (after a greeting of up to three words: "Hi all! Does
// anyone ...?"), or a poll ("Poll:", "We want to know:", "Would you rather", "Raise
// your hand if").
// Not (each a different reason a "?" does not ask):
//   an exclamation ("?!", "⁉", "How cool is that?", "Isn't she lovely?"),
//   a request or suggestion ("Can I get ...?", "Why don't you ...?", "Maybe ...?"),
//   an ad's or teaser's lead-in ("Looking for ...?", "Did you know?", "Interested?",
//   a job ad's "Could you be our next engineer?",
//   "Have a question about X?", "The result is…?"), a quoted question, a short reaction
//   ("Seriously?", "Is it really tho?"), a tag question (", right?"), and a question the post
//   itself goes on to answer
//   ("Why? Because ...", or two more sentences and no other question).
Rule question(const Reading& r) {
  static const Regex kPoll(
      R"(^(raise your hand if|((quick|honest|serious|genuine|random)\s+)?(poll|question)( (for|to) [^:]{1,40})?\s*:|we want to know\s*:|quick poll|who else\b|anyone else\b|would you rather\b|which (one|is better|do you)\b|what'?s your (favou?rite|take|go-to)\b|tell me your\b|encuesta\s*:|sondage\s*:|umfrage\s*:))",
      kIcase);
  if (any(r.opening, kPoll)) return "question.poll";
  // A Twitter chat's numbered question ("Thanks, Ana! On to the last one. Q8: Is there
  // anything else ...?") is the post's point, put to the chat's readers, wherever it stands;
  // not an answer to one ("A8: ...").
  static const Regex kChat(R"((^|\s)q\d{1,2}\s*:\s*[^?\n]{3,}\?)", kIcase);
  static const Regex kChatAnswer(R"((^|\s)a\d{1,2}\s*:)", kIcase);
  if (any(r.all, kChat) && !any(r.all, kChatAnswer)) return "question.chat";
  // The question is the opening, or follows a short greeting, or is the post's centre:
  // one sentence of context, then a question at least as long that ends the post
  // (a headline after its lead: "Readers trust the media less. What can we do so
  // that ...?"). A short question closing a longer sentence is not ("... See you?").
  const bool central = !asks(r.opening) && asks(r.second) &&
                       word_count(r.second) >= word_count(r.opening) &&
                       word_count(r.rest) - word_count(r.second) <= 3;
  const std::string& o =
      asks(r.opening) || (word_count(r.opening) > 3 && !central) ? r.opening : r.second;
  if (!asks(o)) return nullptr;
  static const Regex kExclamation(
      R"((\?!|!\?|⁉|‽)|^(what if i told you|i wonder (what|how|why|who)|who needs|how dare|what more could|how do (you|they|people) even|why (is|are|does|do|did|has|have)?\s*(no ?one|nobody)|why (does|do|is|are|must) (it|this|that|they|i|we|everyone|everything|nobody) always)\b|\bhow (cool|awesome|great|amazing|cute|sweet|beautiful|lucky|crazy|funny|hard|bad|good) (is|was|are|were) (that|this|it|they)\b|\b(isn'?t|aren'?t) (it|that|this|she|he|they) (so |just )?\w+\s*\?$|^(who knew|who would have thought|who'?d have thought|who does that|who cares|what the (hell|heck|fuck)|are you (serious|kidding)|is this (real|a joke)|can you believe|what could (possibly )?go wrong|need i say more|who doesn'?t|what'?s not to|what('?s| is) wrong with|why would (anyone|you)|what did (i|you|we) expect|how is (this|that) (legal|allowed|ok)|let me get this straight|so you'?re (telling|saying)|(so )?if i (understand|get|read) (this|that|it) (correctly|right))\b)",
      kIcase);
  // A negative question ("Isn't it time we ...?", "Don't you love ...?") leans on
  // its answer: rhetorical, or a suggestion; so does one closing a clause ("if
  // they do, isn't that the best outcome?", after a comma or six words, not
  // after a wh-word: "… but why doesn't this build?" asks).
  static const Regex kRequest(
      R"(^(¿)?\s*(maybe|perhaps|why don'?t you|why not|how about|what about|can i (get|have)|could i (get|have)|may i (get|have)|would you like|would you (please|mind)|(can|could) you (please )?(give|send|share|help|check|look|fix|add|make|do|post|dm|email)|(isn|aren|wasn|weren|doesn|don|didn|won|wouldn|shouldn|can|couldn|hasn|haven)'?t)\b)",
      kIcase);
  static const Regex kLeadIn(
      R"(^(¿)?\s*(guess what|you know what|know what|did you know|do you know (that|what)|want|wanna|need|looking for|searching for|tired of|struggling (with|to)|(are you )?ready (to|for)|(are you )?interested( in)?|have you tried|did you try|have you (ever )?heard (of|about)|(could|would|will|might|are) you be (our|the) next|(got|have|any) (a |any )?questions?|dyk|what are you waiting for|sab(í|i)as que|buscas|necesitas|quieres|a(ú|u)n no|todav(í|i)a no|wusstest du|saviez-vous|vous cherchez|voc(ê|e) sabia)\b|(…|\.\.\.)\s*(\?|？)$|^(are you (a|an)\b.*\b(looking|seeking|searching|interested|in need)|do you (want|need|wish)|(do you )?(struggle|have trouble) (with|to))\b)",
      kIcase);
  // Quoted: in quotation marks, or reported ("My son asked: why is the sky blue?").
  static const Regex kQuoted(R"(^("|“|‘|'|«)|\b(asks|asked)\s*(me|us|him|her|them)?\s*(:|,|"|“))",
                             kIcase);
  static const Regex kTag(
      R"(,\s*(right|no|eh|yes|ok|okay|or what|n'est-ce pas|verdad|nicht wahr)\s*\?$)", kIcase);
  static const Regex kReaction(
      R"(\b(really|seriously|kidding|huh|wtf|tho|though|lol|lmao|omg|right|no|eh)\b)", kIcase);
  // Requests and lead-ins are read past a greeting or a label ("Hello Can I get ...?",
  // "PSA: Did you know ...?").
  static const Regex kPreamble(
      R"(^((hi|hello|hey|dear|yo)\b[^?,.!:]{0,20}?[,.!:]?\s+|[\w'-]+\s*:\s*)(?=\w))", kIcase);
  const std::string body = kPreamble.replace_first(o, "");
  // The question mark inside a quotation still open: `reminds me of "Is X your Y?`.
  const auto count = [&o](const char* q) {
    size_t n = 0;
    for (size_t at = o.find(q); at != std::string::npos; at = o.find(q, at + 1)) ++n;
    return n;
  };
  const bool in_quotation = count("\"") % 2 == 1 || count("“") > count("”");
  static const Regex kNegativeTail(
      R"((,\s*|^(\S+\s+){5,}(?!(why|how|where|when|what|who|which)\s)\S+\s+)(isn|aren|wasn|weren|doesn|don|didn|won|wouldn|shouldn|can|couldn)'?t (it|that|this|you|we|they|he|she)\b[^?,]*\?$)",
      kIcase);
  if (any(o, kExclamation) || any(body, kRequest) || any(o, kNegativeTail) || any(body, kLeadIn) ||
      any(o, kQuoted) || in_quotation || any(o, kTag) || dialogue(r))
    return nullptr;
  const int words = word_count(o);
  const bool ascii = std::all_of(o.begin(), o.end(), [](char c) { return (c & 0x80) == 0; });
  // One word asks only when it names what it wants: "Thoughts?", "Recommendations?".
  static const Regex kAskWord(
      R"(^(thoughts|opinions|ideas|suggestions|recommendations|recs|advice|anyone|help)\b)",
      kIcase);
  if ((ascii && words < 2 && !any(o, kAskWord)) || o.size() < 6 ||
      (words <= 4 && any(o, kReaction)))
    return nullptr;
  // Answered by the post: "Why? Because ...", "Where is X? Here are the guesses",
  // "Cheaper? Totally.", "Q: ...? A: ...", or more text with no other question.
  static const Regex kBecause(
      R"(^(because|porque|parce que|weil|the answer|spoiler|here (are|is)|here'?s)\b|^(answers?|a)\s*:|^(yes|no|nope|yep|yeah|totally|of course|absolutely|definitely|sure|not really|exactly)\s*[.!,]+)",
      kIcase);
  if (o == r.opening && any(r.second, kBecause)) return nullptr;
  // An ad's, a promo's or a teaser's lead-in: the next sentence sells or points
  // to the answer ("Join us Thursday", "Register now", "See for yourself:").
  static const Regex kSell(
      R"(^(see (for yourself|more|it|here)|find out|read (more|on|it here)|learn more|click|join|attend|register|sign up|book|buy|order|shop|download|subscribe|apply|enrol|enroll|call|dm|contact|visit|grab|use code|get (yours|your|it|tickets|started)|we'?re hiring|we are hiring|now hiring|tickets|stay tuned|more (soon|to come)|coming soon|watch this space)\b)",
      kIcase);
  if (o == r.opening && any(r.second, kSell)) return nullptr;
  // A noun phrase asked and answered at once: "The best part? It's free.", "The prize
  // for winning? A trip to Rome." (no question word in it: "The meetup, who's in?" asks).
  static const Regex kSetUp(
      R"(^the\s(?![^?]*\b(who|what|which|where|when|why|how|do|does|did|is|are|can|could|would|will|should|anyone)\b)[^?]*\?$)",
      kIcase);
  if (o == r.opening && any(o, kSetUp) && !r.second.empty() && !asks(r.second)) return nullptr;
  // A question that asks for replies is put to the reader, whatever follows it
  // (even the author's own answer): "Favourite outfit? Reply with a photo! Mine is ...",
  // "Have you ever wondered why ...? Curious what you think."
  static const Regex kInvite(
      R"(\b(let me know|tell me|tell us|reply|replies|comment|comments|drop (a|your|them)|share (yours|your)|answer below|vote|curious (what|how|whether|if) (you|y'all|everyone|others))\b|リプ|教えて|コメント|(^|\s)(d(í|i)me|cu(é|e)ntame|dites-moi|sag mir)\b)",
      kIcase);
  if (o == r.opening && any(r.second, kInvite)) return "question.asks";
  // A question that the next sentence answers with what to do leads in to it, as an
  // ad's does: "Dining out tonight? Find the healthiest options with these tricks",
  // "Get back pain at work? Do THIS at your desk", "Like what we share? Get more ...".
  static const Regex kDirective(
      R"(^(do (this|that|these|it)|see (the|this|these|how|why|what|our|more|it|here)|check|read|watch|look|meet|head|gear|stay|discover|explore|treat|ditch|forget|think again)\b)",
      kIcase);
  if (o == r.opening && !asks(r.second) && (imperative(r.second) || any(r.second, kDirective)))
    return nullptr;
  // A verbless "-ing" question that a statement follows sets the scene, as "If you
  // are ..." would: "Driving through Nevada? A new speed limit starts today."
  static const Regex kScene(
      R"(^(?!((any|some|no|every)thing|morning|evening)\b)[a-z]+ing\b[^?]{0,40}\?$)", kIcase);
  if (o == r.opening && any(o, kScene) && !r.second.empty() && !asks(r.second)) return nullptr;
  // So does a memory recalled, when a statement follows: "Remember when phones had
  // keyboards? Now ...", "Do you remember the video ...? It's becoming real."
  static const Regex kRecall(R"(^(do you |you )?remember (when|the|that|those|how)\b)", kIcase);
  if (o == r.opening && any(body, kRecall) && !r.second.empty() && !asks(r.second)) return nullptr;
  // So does an experience offered ("Do you ever see a chart and want to redo it? One I
  // wanted to redo ...", "Ever wondered why ...? It's ..."): the author goes on with
  // their own case.
  static const Regex kEver(
      R"(^(do you ever|did you ever|ever (wonder|wondered|notice|noticed|feel|felt)|have you ever (wondered|noticed|felt))\b)",
      kIcase);
  if (o == r.opening && any(body, kEver) && !r.second.empty() && !asks(r.second)) return nullptr;
  // A topic named in question form and then commented on: "Ubuntu TV? I remember when it
  // was a good OS." (at most three words and none to ask with: "Coffee or tea?", "Any
  // tips?", "Thoughts?" ask).
  static const Regex kAskingWord(
      R"(\b(who|whom|whose|what|which|where|when|why|how|is|are|am|was|were|do|does|did|can|could|would|will|should|shall|may|might|must|have|has|had|any|anyone|anybody|or)\b)",
      kIcase);
  if (o == r.opening && word_count(body) <= 3 && !any(body, kAskingWord) && !any(body, kAskWord) &&
      !r.second.empty() && !asks(r.second))
    return nullptr;
  // What follows the question asked: after the opening, or after the second sentence
  // when that is the one asked ("Wow. Does this mean ...? Suppose ... Would need ...").
  const std::string after = o == r.opening ? r.rest : trim(r.rest.substr(r.second.size()));
  const int sentences_after = r.rest_sentences - (o == r.opening ? 0 : 1);
  const bool more_questions =
      after.find('?') != std::string::npos || after.find("\xEF\xBC\x9F") != std::string::npos;
  // Unless what follows is the asker's own need, which explains the question rather
  // than answering it: "Is there a CRM for Twitter? Like, I want to keep in touch ...".
  static const Regex kOwnNeed(
      R"(^((like|so|basically|ideally),?\s+)?(i|we)('?m| am|'?re| are)?\s+(want|need|looking for|trying to|would like|'?d like|wish)\b)",
      kIcase);
  if (!more_questions && word_count(after) >= 20 && sentences_after >= 2 && !any(after, kOwnNeed))
    return nullptr;
  return "question.asks";
}

bool has_statistic(const std::string& s) {
  for (const auto& n : read_numbers(s)) {
    if (is_statistic(n.kind)) return true;
  }
  return false;
}

int count_item_lines(const std::string& prose) {
  int n = 0;
  for (const auto& line : read(prose).lines) {
    if (item_line(line) && !symbol_first(line)) ++n;
  }
  return n;
}

bool contains_any(const std::string& s, std::initializer_list<const char*> needles) {
  for (const char* n : needles) {
    if (s.find(n) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

HookReading read_hook(const std::string& prose) {
  const Reading r = read(prose);
  if (r.lines.empty()) return {HookType::kStatement, ""};
  // A structure wins over the lead-in that introduces it; then the guide's order
  // for two hooks that fit equally: how_to > list > myth_busting > contrarian >
  // surprising_stat > personal_story > question. An announced count ("5 tips for
  // ...:") is a list even though "tips for" teaches; numbered instructions without
  // one are steps (how_to); a lead-in that only names learning introduces items.
  const std::pair<HookType, Rule (*)(const Reading&)> kOrder[] = {
      {HookType::kList, list_count},
      {HookType::kHowTo, numbered_steps},
      {HookType::kHowTo, how_to},
      {HookType::kList, list_items},
      {HookType::kList, list_lines},
      {HookType::kMythBusting, myth_busting},
      {HookType::kContrarian, contrarian},
      {HookType::kSurprisingStat, surprising_stat},
      {HookType::kPersonalStory, personal_story},
      {HookType::kQuestion, question}};
  for (const auto& [hook, rule] : kOrder) {
    Rule fired = rule(r);
    if (!fired) continue;
    // A lead-in that only says the post is for learning ("Resources to learn SQL:")
    // introduces the structure: items that are not steps make it a list.
    if (fired == std::string("how_to.teaching")) {
      if (Rule items = list_items(r)) return {HookType::kList, items};
    }
    return {hook, fired};
  }
  return {HookType::kStatement, ""};
}

HookType classify_hook(const std::string& prose) { return read_hook(prose).hook; }

std::vector<std::string> body_pattern(const std::string& prose, HookType hook) {
  const Reading r = read(prose);
  std::vector<std::string> body;
  if (hook != HookType::kContrarian && hook != HookType::kMythBusting &&
      contains_any(r.all, {" but ", "however", " yet ", "actually", "turns out", "in reality"})) {
    body.push_back("Contrarian take");
  }
  if (contains_any(r.all, {"study", "studies", "research", " data", "trial", "meta-analysis",
                           "evidence", "scientists", "paper"}) ||
      (hook != HookType::kSurprisingStat && has_statistic(r.rest))) {
    body.push_back("Evidence");
  }
  if (contains_any(r.rest, {"because", "which means", "the reason", "that's why", "mechanism",
                            "this is why", "due to"})) {
    body.push_back("Mechanism");
  }
  if (hook != HookType::kList && count_item_lines(prose) >= 2) body.push_back("Steps");
  if (body.empty()) body.push_back("Explanation");
  return body;
}

}  // namespace gl::learn
