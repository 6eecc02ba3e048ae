// Reading a post: features over entities, numbers, hooks by the labelling
// guide (tests/data/hooks/GUIDE.md) and on the labelled real tweets.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "learn/embedding.h"
#include "learn/text_features.h"
#include "test_data.h"
#include "x/tweet_text.h"

using namespace gl::learn;

namespace {

std::string hook_of(const std::string& text) { return hook_name(analyze_text(text).hook); }

std::vector<std::pair<std::string, std::string>> numbers_of(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : analyze_text(text).numbers)
    out.emplace_back(n.text, number_kind_name(n.kind));
  return out;
}

}  // namespace

TEST_CASE("each hook is recognised on the labelling guide's own examples") {
  const std::vector<std::pair<std::string, HookType>> examples = {
      {"Who's coming to the meetup tonight?", HookType::kQuestion},
      {"What's the one book every founder should read?", HookType::kQuestion},
      {"@ana did the deploy go out?", HookType::kQuestion},
      {"3 things I check before shipping:\n1. logs\n2. rollback\n3. alerts", HookType::kList},
      {"Top 10 hikes near Denver \xF0\x9F\x91\x87 https://t.co/abc123", HookType::kList},
      {"Our new release: \xE2\x80\xA2 faster sync \xE2\x80\xA2 dark mode \xE2\x80\xA2 offline "
       "drafts",
       HookType::kList},
      {"How to brew cold coffee: grind coarse, steep 12 h, filter.", HookType::kHowTo},
      {"Here's how we cut our CI time in half https://t.co/abc123", HookType::kHowTo},
      {"New tutorial: deploying Rails on a $5 VPS https://t.co/abc123", HookType::kHowTo},
      {"73% of startups never check their churn.", HookType::kSurprisingStat},
      {"1 in 3 adults sleeps less than 6 hours.", HookType::kSurprisingStat},
      {"Coffee exports fell by $2bn this year.", HookType::kSurprisingStat},
      {"Unpopular opinion: standups waste everyone's time.", HookType::kContrarian},
      {"Stop posting every day. Post better.", HookType::kContrarian},
      {"Everyone loves microservices. Most teams should not use them.", HookType::kContrarian},
      {"Myth: cracking knuckles causes arthritis. Fact: it doesn't.", HookType::kMythBusting},
      {"No, the bridge is not closing next week; that rumour is false.", HookType::kMythBusting},
      {"Goldfish don't actually have 3-second memories.", HookType::kMythBusting},
      {"When I was 20 I was fired from a caf\xC3\xA9. It taught me to show up early.",
       HookType::kPersonalStory},
      {"Last year I shipped nothing for 6 months. Here's what I learned.",
       HookType::kPersonalStory},
      {"My first talk went terribly: I forgot my slides, then the projector died.",
       HookType::kPersonalStory},
      {"Big news: we're launching on Tuesday!", HookType::kStatement},
      {"Thanks for having me @conf \xF0\x9F\x99\x8F", HookType::kStatement},
      {"lol same", HookType::kStatement},
  };
  for (const auto& [text, hook] : examples) {
    INFO(text);
    CHECK(hook_of(text) == hook_name(hook));
  }
}

TEST_CASE("what the guide rules out is a statement") {
  for (const char* text : {
           "How cool is that?!",  // an exclamation
           "Why do we sleep? Because the brain needs to clear waste, and it does that "
           "only at night. Researchers have watched it happen in mice for a decade now.",
           "I luv u",                                                 // any sentence with I
           "I'm excited to announce I joined Acme as head of data!",  // job news
           "I agree", "At the airport", "Just watched Dune, loved it",
           "This film was bad",                                   // a negative opinion
           "Sign up now for the spring cohort",                   // a call to action
           "The museum reopens in 18 months after a 2021 fire.",  // durations and years
           "Ward no. 27 is voting today.", "Interested?",
           "Can I get a laptop from you?",                  // a request
           "Sleep myths reward patience more than rules.",  // "myths" is the topic
       }) {
    INFO(text);
    CHECK(hook_of(text) == "statement");
  }
}

TEST_CASE("each hook rule and its exclusions, on made-up posts in several languages") {
  // Written for the rules, not taken from the labelled tweets.
  const std::vector<std::pair<std::string, std::string>> cases = {
      // question: the opening asks; polls; after a greeting; other scripts.
      {"Which editor do you use for Rust these days?", "question"},
      {"\xC2\xBF"
       "Cu\xC3\xA1l es tu libro favorito de este a\xC3\xB1o?",
       "question"},  // ¿Cuál ...?
      {"Vous pr\xC3\xA9"
       "f\xC3\xA9rez le caf\xC3\xA9 ou le th\xC3\xA9 ? Dites-moi.",
       "question"},
      {"\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAE\xE3\x83\xA9\xE3\x83\xB3\xE3\x83\x81\xE4\xBD\x95"
       "\xE9\xA3\x9F\xE3\x81\xB9\xE3\x81\x9F\xEF\xBC\x9F",
       "question"},  // 今日のランチ何食べた？
      {"Hi all! Does anyone know a good bakery near the station?", "question"},
      {"Poll: tabs or spaces", "question"},
      {"Is remote work a fix for housing costs or a distraction? https://t.co/abc123", "question"},
      {"Who's in for a run on Saturday?\xF0\x9F\x8F\x83", "question"},
      {"Can I get a refund for this?", "statement"},                        // a request
      {"Looking for a new laptop? Visit our store today.", "statement"},    // an ad's lead-in
      {"Did you know? Octopuses have three hearts.", "statement"},          // a teaser
      {"How cool is that?", "statement"},                                   // an exclamation
      {"Seriously?", "statement"},                                          // a reaction
      {"\"Why does nobody reply?\" she asked me yesterday.", "statement"},  // quoted
      {"What makes a good API? It is small, it is consistent, and it fails loudly when used "
       "wrong. Everything else is a matter of taste and of the people using it.",
       "statement"},  // answered by the post
      {"Great meetup today. Slides are online. Who's coming next month?", "statement"},  // late
      {"Wow. Does this mean the launch moves to spring? It could, since the permit only lapsed "
       "last week and nobody has filed again. The council votes on it again on Monday anyway.",
       "statement"},  // asked after a short opener, then mused on by the post
      {"Can a daily walk fix my back? Stay tuned.", "statement"},  // a teaser
      {"Remember when phones had real keyboards? Typing was faster then.", "statement"},
      {"Do you remember your first computer? Tell me below.", "question"},    // asks for replies
      {"The best part of the new trail? It ends at a bakery.", "statement"},  // set up, answered
      {"The meetup tonight, who is in? We start at 7.", "question"},
      {"So if I understand this correctly the intern now runs the company? Great.",
       "statement"},  // a sarcastic restatement
      {"Let me get this straight: the bus is free but the bike lane costs money?", "statement"},
      {"Why do we yawn? Because our brains run warm.", "statement"},     // answered at once
      {"This is the best pizza in town, right?", "statement"},           // a tag question
      {"Are you ready for the weekend? Doors open at 8.", "statement"},  // a promo's lead-in
      {"What's wrong with people these days?", "statement"},             // rhetorical
      {"Isn't it time we fixed the trains?", "statement"},  // a negative question leans
      {"Don't you love Fridays?", "statement"},             // on its answer
      {"Don\xE2\x80\x99t you love Fridays?", "statement"},  // typed with a phone's apostrophe
      {"Taxes went up again. But if the money ends up fixing the trains we all ride isn't that "
       "worth it?",
       "statement"},  // a negative question closing a clause
      {"If it works, wouldn't you ship it today?", "statement"},
      {"Why doesn't this build on ARM?", "question"},  // a negative question that asks
      {"Probably a dumb question but why doesn't this build on ARM?", "question"},  // still asks
      {"\xE2\x80\x99"
       "90s kids: who remembers dial-up?",
       "question"},  // an elision, not a quotation
      {"Genuine ask: what's the best way to learn SQL? Context: I'm a PM. Budget: free. Time: "
       "2 hours a week.",
       "question"},  // labels of context that do not come back are no dialogue
      {"Dad: Is there a doctor on this flight? Me: Not now Dad Dad: Are you sure?",
       "statement"},  // a dialogue's questions are its speakers'
      {"Question: can I get you anything else before we close the thread?",
       "question"},  // one label, not a dialogue
      {"Are you a data engineer looking for a new role? We're hiring.", "statement"},  // an ad
      {"Is AI coming for your job? Join us Thursday for a panel.", "statement"},       // a promo
      {"My son asked me: why is the sky blue?", "statement"},                          // reported
      {"Why does it always rain on weekends?", "statement"},
      {"Why is nobody talking about this? https://t.co/abc123", "statement"},
      {"How do you even do that?? Amazing work", "statement"},  // a complaint
      {"Thoughts? https://t.co/abc123", "question"},            // one word that names what it wants
      {"Honest question: why do we still use p-values?", "question"},
      {"Favourite outfit? Reply with a photo! Mine is the yellow one, it looks so retro and "
       "I love every colour of it, the sleeves too.",
       "question"},  // asks for replies, then gives the author's own answer
      {"Readers trust the media less every year. What can we do so that people read and "
       "support independent, rigorous reporting again? https://t.co/abc123",
       "question"},  // a question headline after one sentence of context
      {"I am going to the conference in Cordoba if my talk is accepted. See you there?",
       "statement"},  // a short question closing the post
      {"\xC2\xBFQui\xC3\xA9n viene al taller del s\xC3\xA1"
       "bado?",
       "question"},  // ¿Quién viene al taller del sábado?
      // list: items on their own lines, bullets, "N things", "Top N".
      {"Things I pack for every trip:\n- charger\n- earplugs\n- a paper book", "list"},
      {"Lo que aprend\xC3\xAD este a\xC3\xB1o:\n1. dormir m\xC3\xA1s\n2. leer menos noticias\n"
       "3. caminar cada d\xC3\xAD"
       "a",
       "list"},
      {"5 habits that changed my mornings:", "list"},
      {"Top 5 sci-fi novels of the decade https://t.co/abc123", "list"},
      {"Workshop on Friday:\nDate: 3 March\nPlace: Room 2\nPrice: free\nLink below",
       "statement"},  // an announcement's details
      {"Thanks to everyone who came!\n- Ana\n- Ben\n- Chloe\n- Dev", "statement"},  // thanks
      {"Two options:\n1. wait\n2. rebuild", "statement"},                           // two items
      {"Top 3 reasons to visit Porto:\n- food\n- wine\n- the river", "list"},
      {"10 best hikes in Colorado https://t.co/abc123", "list"},  // a count and a superlative
      {"7 Python libraries you should know:", "list"},
      {"2022 recap:\nShipped v2\nMoved to Berlin\nRan a marathon\nRead 40 books",
       "list"},  // short lines after a lead-in
      {"Resources to learn SQL:\n- SQLZoo\n- Select Star\n- the Mode course",
       "list"},  // a learning lead-in introduces items that are not steps
      {"Meetup:\nMarch 3\nRoom 2\n10:00", "statement"},            // an announcement's details
      {"Congrats to our winners:\nAna\nBen\nChloe", "statement"},  // people congratulated
      {"2 best friends reunited after 40 years https://t.co/abc123", "statement"},  // two
      {"2 things I learned today:", "statement"},
      {"Three rules: 1) sleep 2) walk 3) read", "list"},  // numbered on one line
      {"\xE2\x80\xA2 Be curious. \xE2\x80\xA2 Take risks. \xE2\x80\xA2 Work hard.",
       "list"},  // bullets on one line that opens with one
      {"Thank you to our sponsors: \xE2\x80\xA2 Acme \xE2\x80\xA2 Globex \xE2\x80\xA2 Initech",
       "statement"},  // people thanked, on one line too
      {"We are hiring! 1) Go 2) Postgres 3) Kubernetes", "statement"},  // a job ad's duties
      {"My favourite albums this year \xF0\x9F\x91\x87\nBlonde\nRenaissance\nMotomami", "list"},
      {"Event:\n\xF0\x9F\x93\x85 3 March\n\xF0\x9F\x93\x8D Room 2\n\xF0\x9F\x95\x92 10:00",
       "statement"},  // different emoji on each line are an announcement's details, not bullets
      {"3 mins till the show starts!!", "statement"},  // a duration, not a count of items
      // how_to: says it teaches, a tip, an instruction with its purpose.
      {"How to repot a cactus without getting stabbed https://t.co/abc123", "how_to"},
      {"We shipped twice as fast this year. Here's how we did it: https://t.co/abc123", "how_to"},
      {"A beginner's guide to sourdough, with photos https://t.co/abc123", "how_to"},
      {"Pro tip: press Ctrl+Shift+T to reopen the tab you just closed.", "how_to"},
      {"Use git switch instead of git checkout when you only change branches.", "how_to"},
      {"Learn to read a balance sheet in one afternoon https://t.co/abc123", "how_to"},
      {"C\xC3\xB3mo hacer pan casero paso a paso https://t.co/abc123", "how_to"},  // es
      {"Tutoriel : comment installer Linux sur un vieux portable", "how_to"},      // fr
      {"Anleitung: Fahrradkette in 5 Minuten wechseln", "how_to"},                 // de
      {"Como fazer caf\xC3\xA9 coado, passo a passo", "how_to"},                   // pt
      {"\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x92\xE3\x83\xBC\xE3\x81\xAE\xE6\xB7\xB9\xE3\x82\x8C"
       "\xE6\x96\xB9\xE3\x81\xAE\xE3\x82\x84\xE3\x82\x8A\xE6\x96\xB9",
       "how_to"},  // コーヒーの淹れ方のやり方
      {"TIL you can press Ctrl+Shift+M in RStudio to insert the pipe.", "how_to"},
      {"The new vignette shows how to fit mixed models with brms.", "how_to"},
      {"Want faster builds? Here's how: cache your dependencies and split your tests.",
       "how_to"},                                 // the lead-in asks, the post answers with the how
      {"How do I reset my router?", "question"},  // asking how
      {"Python: how to read a CSV file with pandas https://t.co/abc123", "how_to"},  // a headline
      {"Sourdough: the complete guide https://t.co/abc123", "how_to"},
      {"Bake better bread in 5 easy steps https://t.co/abc123", "how_to"},
      {"Step 1: preheat the oven. Step 2: knead the dough for ten minutes.", "how_to"},
      {"Hack: freeze grapes to chill white wine without watering it down.", "how_to"},
      {"\xF0\x9F\x9A\x80 How to deploy a Flask app https://t.co/abc123", "how_to"},  // 🚀
      {"New blog post!\nHow to tame flaky tests in CI https://t.co/abc123", "how_to"},
      {"I wrote up how we migrated our services to Kubernetes https://t.co/abc123", "how_to"},
      {"Great thread on how to write a grant proposal https://t.co/abc123", "how_to"},
      {"Quick tip: use fd instead of find.", "how_to"},
      {"Debugging strategy: delete the buggy code", "how_to"},  // a label, then an instruction
      {"Setting up a new Mac:\n1. Install Homebrew\n2. Run brew bundle\n3. Copy your dotfiles",
       "how_to"},                                      // numbered steps
      {"Our strategy: win every game.", "statement"},  // no instruction follows
      {"Did you know you can knit R Markdown to Word? https://t.co/abc123",
       "how_to"},  // a tip in question form
      {"In RStudio, you can press Ctrl+Shift+M to insert a pipe.", "how_to"},
      {"Here's a quick way to find duplicate rows in pandas https://t.co/abc123", "how_to"},
      {"Make sure to back up your database before you upgrade.", "how_to"},
      {"Check our website to see all the deals.", "statement"},       // an offer
      {"Try it out to see how it works", "statement"},                // a call to action's purpose
      {"Getting started with Docker https://t.co/abc123", "how_to"},  // a tutorial's title
      {"Build a REST API with FastAPI https://t.co/abc123", "how_to"},
      {"Make your day with our new coffee using fresh beans!", "statement"},  // an offer
      {"Hoy os cuento c\xC3\xB3mo instalar R en Windows https://t.co/abc123", "how_to"},
      {"No s\xC3\xA9 c\xC3\xB3mo hacerlo", "statement"},  // not knowing how
      {"Comment here with your favourite!", "statement"},
      {"Need to rename many files? Use rename instead of a loop.", "how_to"},  // a need met
      {"Want to learn Python? Join our bootcamp today!", "statement"},         // an ad
      {"Want to be happy? Stop caring what people think.", "statement"},       // advice, no how
      {"Did you know that in dplyr you can pick columns by type?", "how_to"},
      {"PSA: back up your phone before the update", "how_to"},
      {"To enter:\n1. Follow us\n2. Retweet this\n3. Tag 2 friends", "statement"},  // a contest
      {"Data Science Roadmap 2023 https://t.co/abc123", "how_to"},  // a learning roadmap
      {"Our product roadmap for Q3 is live https://t.co/abc123", "statement"},
      {"Easy vegan chili recipe https://t.co/abc123", "how_to"},  // a recipe given
      {"This is a recipe for disaster.", "statement"},
      {"The Colonel's recipe is the best", "statement"},
      {"DIY bookshelf from old pallets https://t.co/abc123", "how_to"},
      {"A free beginner guide to Git https://t.co/abc123", "how_to"},
      {"Thanks to our amazing guide Maria for the hike!", "statement"},
      {"The Michelin guide just dropped", "statement"},
      {"Install the app to get notified.", "statement"},
      {"Thanks for the tips and tricks, see you Saturday!", "statement"},
      {"What a great way to start the week!", "statement"},
      {"She showed how we can do better as a community.", "statement"},
      {"So sad to learn of her passing.", "statement"},
      {"Learn more about our new app https://t.co/abc123", "statement"},  // a call to action
      {"Como siempre, gracias a todos por venir.", "statement"},          // "como" is "as" here
      {"Comment below with your favourite!", "statement"},
      {"Thanks for the tips on hiking, see you Saturday!", "statement"},
      {"Our tour guide for the day was amazing.", "statement"},
      {"Kids learn to swim faster in warm water, a new study finds.", "statement"},
      {"Step 1 of the renovation is done!", "statement"},
      {"Here's how the votes broke down in each district.", "statement"},
      {"Here is how to reach us: call or email any time.", "statement"},  // logistics
      {"Try our new burger to celebrate summer!", "statement"},
      {"I still don't know how to fold a fitted sheet.", "statement"},        // not teaching
      {"Use code SPRING to get 20% off everything this week.", "statement"},  // a promo
      {"Sign up now for the spring cohort.", "statement"},
      // surprising_stat: a percentage, a ratio, a multiplier, an amount that moved.
      {"64% of commuters would switch to trains if tickets cost less.", "surprising_stat"},
      {"Rents in the city rose 40% in two years.", "surprising_stat"},
      {"Nearly half of all food grown is never eaten.", "surprising_stat"},
      {"Save 30% on all shoes this weekend!", "statement"},  // a discount
      {"We turned 10 years old today!", "statement"},        // a milestone
      {"Top 10 hikes for 2024 are out.", "list"},
      // contrarian: set against the crowd.
      {"Hot take: open offices are great for junior engineers.", "contrarian_take"},
      {"Breakfast is overrated.", "contrarian_take"},
      {"Critics be acting like every sequel is worse", "contrarian_take"},  // the crowd opposed
      {"Stop chasing followers. Write for ten readers.", "contrarian_take"},
      {"You don't need a gym to get strong.", "contrarian_take"},
      {"Is breakfast overrated?", "question"},
      {"This movie was terrible.", "statement"},  // a complaint
      {"Everyone loves a good sale. Everything is half price this weekend.", "statement"},
      // myth_busting: a claim named false and corrected.
      {"Myth: we only use 10% of our brains. Fact: we use all of it.", "myth_busting"},
      {"Bats aren't actually blind; most see quite well.", "myth_busting"},
      {"No, the library is not closing. That post is fake.", "myth_busting"},
      {"Our podcast on food myths is out now.", "statement"},  // myths as a topic
      {"The myth of Sisyphus is my favourite essay.", "statement"},
      // personal_story: the author's past with more than one beat.
      {"Ten years ago I failed my driving test three times. Now I teach driving.",
       "personal_story"},
      {"I once missed a flight because I was reading at the gate. I still read at gates.",
       "personal_story"},
      {"When I was twelve I sold lemonade to pay for a guitar, and that taught me to save.",
       "personal_story"},
      {"I'm excited to announce I joined a new team this week!", "statement"},  // job news
      {"I tracked my sleep for 6 months and found a pattern. Weekends wreck it.", "personal_story"},
      {"I had a great time at the conference. Thanks everyone for coming!", "statement"},
      {"Last year I joined the board of the food bank. Proud of the team.", "statement"},
      {"I love this song", "statement"},
      {"I tracked my spending for 3 months. Coffee was 20% of it.", "personal_story"},
      {"Just landed in Lisbon.", "statement"},
      {"I thought the talk would be boring but it turned out to be the best of the conference, "
       "and I now use the method every day in my lab.",
       "personal_story"},                                        // an experience with its turn
      {"I tried the new burger but it was cold.", "statement"},  // a one-line complaint
      {"I had a great time at the meetup but I am exhausted now, see you all next year and "
       "thanks again to everyone who organised it",
       "statement"},  // a status
      // The question is someone else's: an old-style quote, an open quotation.
      {"Same here. RT @dev: which linter do you all use?", "statement"},
      {"Which linter do you use? RT @dev: mine is slow", "question"},
      {"My mentor's line comes back to me: \"is this the simplest thing that works?", "statement"},
      // An ellipsis ends the opening: the question is not the post's opening.
      {"Three hours in the queue... still waiting... why did I not book online?", "statement"},
      // Requests and lead-ins past a greeting or a label; answered by "Here are".
      {"Hello Can I get a copy of the slides?", "statement"},
      {"PSA: Did you know the library now opens on Sundays?", "statement"},
      {"Where do people park downtown? Here are the answers from 300 drivers.", "statement"},
      {"Are you interested in learning pottery? Attend our open studio on Friday.", "statement"},
      {"Heading to the coast this weekend? The ferry runs on a winter timetable.", "statement"},
      {"Going to the meetup tonight?", "question"},
      {"Have you heard of the Broadbalk plots? They are the oldest wheat trial.", "statement"},
      {"What does a zero-waste kitchen look like? See for yourself: https://t.co/abc123",
       "statement"},
      {"Faster than the old build? Totally. But it needs more memory.", "statement"},
      {"I wonder what they will call the next version?", "statement"},
      {"Can you send me the slides from today?", "statement"},
      {"Can you recommend a book on compilers?", "question"},
      {"open the settings page. turn off autoplay for every video.", "how_to"},
      {"Follow us on Instagram. Tag a friend to win a prize!", "statement"},
      {"The 100 most cited papers in ecology https://t.co/abc123", "list"},
      {"Anything new in Rust this week? I have been away.", "question"},
      {"Heading out early? Tell me where you are going.", "question"},
      // how_to: a tip label in the second sentence, a tip given with a dash, a useful
      // guide; not reported advice, "learn about", "check out".
      {"Long builds are painful. Pro tip: cache the dependencies between runs.", "how_to"},
      {"let me give you a hot tip - add lemon zest to the batter", "how_to"},
      {"I read this useful guide to SQL window functions this morning", "how_to"},
      {"Want to save money? Skip the takeaway coffee, an economist suggests.", "statement"},
      {"The museum is a great place for kids to learn about the ocean", "statement"},
      {"Check out the new mural on Main St for fun colours to brighten your walk", "statement"},
      {"Thanks to our amazing guide Maria for the hike!", "statement"},
      // list: the framing after a line of context.
      {"Free courses are everywhere now.\nHere are 10 courses worth your weekend", "list"},
      // A hashtag inside a sentence is a word of it; one ending the post only addresses.
      {"Five-minute #tutorial: resize photos with ImageMagick https://t.co/abc123", "how_to"},
      {"Great day at the lake #tutorial", "statement"},
      // how_to: a recipe offered, the recipe of the day, a tip label after three words
      // or "of the day"; not a need answered by a pointer.
      {"Try this chicken recipe tonight! https://t.co/abc123", "how_to"},
      {"Recipe of the day: green pea risotto https://t.co/abc123", "how_to"},
      {"My second Python tip: f-strings format dates too, f'{d:%Y}'.", "how_to"},
      {"Trick of the day: parse_number() pulls the digits out of messy text.", "how_to"},
      {"Want to build web apps in R? Check out this free course!", "statement"},
      // list: "N things" after a short opening, pointed at inside the post, after a
      // label, or a listicle's headline alone; not a number of days or people.
      {"Busted! 12 myths and facts about sleep: https://t.co/abc123", "list"},
      {"Summer is almost here. Try these 8 moves for stronger legs: https://t.co/abc123", "list"},
      {"See 11 signs you are not sleeping enough https://t.co/abc123", "list"},
      {"ICYMI: 8 ways to cut your grocery bill https://t.co/abc123", "list"},
      {"6 Kitchen Tweaks That Save You Time https://t.co/abc123", "list"},
      {"3 Days That Shook the City https://t.co/abc123", "statement"},
      // question: not a lead-in answered by what to do, nor "Have a question about X?";
      // answers given ("Answers:"); "We want to know:" asks.
      {"Sore back after work? Try this stretch at your desk https://t.co/abc123", "statement"},
      {"Back pain at work? Do this at your desk https://t.co/abc123", "statement"},
      {"Who's coming to the meetup tonight? Bring a friend!", "question"},
      {"Have a question about your taxes? Our experts will answer. Send it here: "
       "https://t.co/abc123",
       "statement"},
      {"Questions about the new visa rules? Answers: https://t.co/abc123", "statement"},
      {"We want to know: \"What's your favourite winter soup?\"", "question"},
      // surprising_stat: a part of every so many people; not a schedule.
      {"3 of 4 renters cannot afford a deposit, a survey finds.", "surprising_stat"},
      {"2 of 3 games are on Sunday.", "statement"},
      // A number inside a file name is no statistic.
      {"Where do I put icon@2x.png in the bundle?", "question"},
      // Found on the dev split of a fifth outside set (hW) and of the earlier ones:
      {"My Top 2 artists this week: Sleater-Kinney & CeeLo Green", "statement"},  // two items
      {"\xE2\x96\x93\xE2\x96\x93\xE2\x96\x91\xE2\x96\x91\xE2\x96\x91 27%",
       "statement"},  // ▓▓░░░ 27%: a number alone is no finding
      {"Q: What is the best thing about owning a tablet? A: Comics! Read a whole series today.",
       "statement"},  // asked and answered
      {"Thanks, Ana! On to the last one. Q8: Is there anything else you'd like to share about "
       "sleep?",
       "question"},  // a chat's numbered question
      {"Is there a good app for tracking habits? I want something that reminds me every evening, "
       "shows a streak for each habit and works offline on my phone. Paid is fine too.",
       "question"},  // the asker's own need explains the question, does not answer it
      {"Could you be our next data engineer? This person will build and run our pipelines.",
       "statement"},  // a job ad's lead-in
      {"Spent months trying to build the perfect onboarding flow and failed. Shipped a plain "
       "checklist by accident and it worked.",
       "personal_story"},  // its "I" dropped
      {"Heat waves are dangerous. Stay cool by taking these steps: https://t.co/abc123",
       "how_to"},  // a link presented as steps
      {"Do you ever see a chart and want to redo it? I redid one from the news last week with "
       "our city's data.",
       "statement"},  // the author's own case follows
      {"Ubuntu TV? I remember when it was a good operating system.", "statement"},  // a topic
      {"Hospital at home? https://t.co/abc123", "question"},  // a question headline
      {"Expense report time! Mine is done.\nTips:\n- Category: events\n- Project: summit",
       "how_to"},  // a tip's label heading its lines
  };
  for (const auto& [text, hook] : cases) {
    INFO(text);
    CHECK(hook_of(text) == hook);
  }
}

TEST_CASE("each hook names the rule that read it, so it can be explained and counted") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"How to repot a cactus https://t.co/abc123", "how_to.title"},
      {"Tutorial: pivot tables in five minutes", "how_to.teaching"},
      {"Things I pack:\n- charger\n- earplugs\n- a paper book", "list.items"},
      {"5 habits that changed my mornings:", "list.count"},
      {"Which editor do you use for Rust these days?", "question.asks"},
      {"Breakfast is overrated.", "contrarian.take"},
      {"Myth: we only use 10% of our brains. Fact: we use all of it.", "myth.named"},
      {"64% of commuters would switch to trains if tickets cost less.", "stat.measure"},
      {"Great, Ana! Q8: Is there anything else we should know?", "question.chat"},
      {"Just landed in Lisbon.", ""},
  };
  for (const auto& [text, rule] : cases) {
    INFO(text);
    CHECK(analyze_text(text).hook_rule == rule);
  }
}

TEST_CASE("the hook classifier on the held-out labels of real tweets") {
  // tests/data/hooks: labels written by a reader who never saw the classifier.
  // The rules (a few named signals per hook, from the guide) were written and checked
  // on the dev split only (bench/hooks.py --rules: no rule wrong on either half of
  // dev); this test split was evaluated once, after they were final. Issue 9 asks,
  // on it, precision >= 0.8 for every hook said and recall >= 0.7 for question, list
  // and how_to. Measured (bench/hooks.py --split test): macro-F1 0.376 (always
  // "statement": 0.117); question precision 0.64 recall 0.75; list 0.89 / 0.57;
  // surprising_stat 1.00 / 0.50; how_to said 3 times, none right, none of its 8
  // found; contrarian, myth_busting, personal_story never said.
  // After the second round of rules (branch hooks: more general forms of how-to,
  // list, question and story, again tuned on dev only; test measured twice, once as
  // a check part-way and once at the end): macro-F1 0.387; question 0.69 / 0.75; list
  // 0.90 / 0.64; surprising_stat 1.00 / 0.50; how_to still said 3 times, none right,
  // none of its 8 found; the rare hooks never said. Dev went from macro-F1 0.694 to
  // 0.789, so most of what was added does not carry over to test. The question
  // precision and the list and how_to recall targets are still NOT met; these checks
  // hold the measured levels (a regression guard), not the thresholds.
  // A third round (branch hV: inline hashtags read as words, recipes, "N things" inside
  // the post, question lead-ins answered by what to do; tuned on the dev splits of this
  // file and of two outside sets) left this split exactly as it was, and so did a fourth
  // (branch hW: a Top 2, a bare number, Q/A, chat questions, job ads, a topic in question
  // form, the asker's own need, "spent months trying", "these steps", a tips line; tuned on
  // four dev splits, a new outside set's among them).
  const auto tweets = gl::test::read_csv_file("real-tweets/tweets.csv");
  const auto labels = gl::test::read_csv_file("hooks/labels.csv");
  std::map<std::string, std::string> text_of;
  for (const auto& t : tweets) text_of[t.at("id")] = t.at("text");
  const std::vector<std::string> hooks = {"question",        "list",       "how_to",
                                          "surprising_stat", "contrarian", "myth_busting",
                                          "personal_story",  "statement"};
  std::map<std::string, int> tp, fp, fn;
  int n = 0;
  for (const auto& row : labels) {
    if (row.at("split") != "test") continue;
    ++n;
    const std::string text = gl::x::decode_html_entities(text_of.at(row.at("id")));
    std::string said = hook_name(analyze_text(text).hook);
    if (said == "contrarian_take") said = "contrarian";
    const std::string& label = row.at("hook");
    if (said == label) {
      ++tp[label];
    } else {
      ++fp[said];
      ++fn[label];
    }
  }
  REQUIRE(n == 363);
  std::map<std::string, double> precision, recall;
  double macro_f1 = 0;
  for (const auto& h : hooks) {
    precision[h] = tp[h] + fp[h] > 0 ? double(tp[h]) / (tp[h] + fp[h]) : 0;
    recall[h] = tp[h] + fn[h] > 0 ? double(tp[h]) / (tp[h] + fn[h]) : 0;
    const double p = precision[h], r = recall[h];
    macro_f1 += p + r > 0 ? 2 * p * r / (p + r) / hooks.size() : 0;
  }
  INFO("macro-F1 " << macro_f1);
  CHECK(macro_f1 >= 0.38);
  CHECK(precision["list"] >= 0.85);
  CHECK(recall["list"] >= 0.6);
  CHECK(precision["surprising_stat"] >= 0.8);
  CHECK(precision["question"] >= 0.65);
  CHECK(recall["question"] >= 0.7);
  CHECK(fp["how_to"] <= 3);
  for (const char* rare : {"contrarian", "myth_busting", "personal_story"}) CHECK(fp[rare] == 0);
  CHECK(recall["statement"] >= 0.95);
}

TEST_CASE("features are read from the prose: no digits of links or handles, no link's ?") {
  const auto f = analyze_text("@user123 see https://t.co/Ab12Cd?x=1 and #top10 $SPY");
  CHECK_FALSE(f.has_numbers);
  CHECK_FALSE(f.has_question);
  CHECK(f.has_url);
  CHECK(f.words == 2);  // "see", "and"
  CHECK(f.entities.size() == 4);
  const auto g = analyze_text("What would you add? example.com/x?y=1");
  CHECK(g.has_question);
  CHECK(g.has_url);
  CHECK(analyze_text("Protip: example.com has 3 guides").has_numbers);
}

TEST_CASE("years, dates, times, versions and list numbering are not statistics") {
  using P = std::pair<std::string, std::string>;
  CHECK(numbers_of("In 2023, 73% of teams shipped 3x faster; 1 in 4 missed.") ==
        std::vector<P>{{"2023", "year"},
                       {"73%", "percent"},
                       {"3x", "multiplier"},
                       {"1", "ratio"},
                       {"4", "quantity"}});
  CHECK(numbers_of("Meet at 10:30 or 3pm on 5/12, May 5 or 2023-01-05.") ==
        std::vector<P>{{"10:30", "time"},
                       {"3pm", "time"},
                       {"5/12", "date"},
                       {"5", "date"},
                       {"2023-01-05", "date"}});
  CHECK(numbers_of("v2 and version 3.4.0 of GPT-4 in the 1990s") ==
        std::vector<P>{
            {"2", "version"}, {"3.4.0", "version"}, {"4", "identifier"}, {"1990s", "year"}});
  CHECK(numbers_of("Top 10 picks:\n1. one\n2) two\nthe 21st, #1 and no. 27") ==
        std::vector<P>{{"10", "list_number"},
                       {"1", "list_number"},
                       {"2", "list_number"},
                       {"21st", "ordinal"},
                       {"1", "ordinal"},
                       {"27", "identifier"}});
  CHECK(numbers_of("$2bn, \xE2\x82\xAC"
                   "50, 10,000 users, 18 months, 5km") == std::vector<P>{{"$2bn", "money"},
                                                                         {"\xE2\x82\xAC"
                                                                          "50",
                                                                          "money"},
                                                                         {"10,000", "count"},
                                                                         {"18", "quantity"},
                                                                         {"5km", "quantity"}});
  const auto years = analyze_text("Founded in 1998, relaunched on 5 May 2023 (v3.1).");
  CHECK_FALSE(years.has_numbers);
  CHECK_FALSE(years.has_stat);
  const auto stat = analyze_text("Sales rose 40 percent.");
  CHECK(stat.has_numbers);
  CHECK(stat.has_stat);
}

TEST_CASE("on the real tweets, numbers come from prose only") {
  const auto tweets = gl::test::read_csv_file("real-tweets/tweets.csv");
  int with_digits = 0, with_numbers = 0, with_stat = 0;
  for (const auto& t : tweets) {
    const std::string text = gl::x::decode_html_entities(t.at("text"));
    const auto f = analyze_text(text);
    with_digits += text.find_first_of("0123456789") != std::string::npos;
    with_numbers += f.has_numbers;
    with_stat += f.has_stat;
    INFO(text);
    if (f.prose.find_first_of("0123456789") == std::string::npos) CHECK_FALSE(f.has_numbers);
    CHECK((!f.has_stat || f.has_numbers));
  }
  // 503 of 714 carry a digit somewhere, mostly in t.co links, handles, dates and years.
  CHECK(with_digits == 503);
  CHECK(with_numbers < 200);
  CHECK(with_stat < with_numbers);
}

TEST_CASE("a long line of numbered items is read in time") {
  // One pattern for "1. … 2. … 3." backtracked past PCRE2's match limit near
  // 17,000 characters; X Premium allows 25,000.
  std::string text = "Notes";
  for (int i = 0; i < 1500; ++i) text += " 1. a 2. b 3c";
  CHECK(hook_of(text) == "statement");
  CHECK(hook_of("1. a" + text) == "statement");
}

TEST_CASE("calls to action, questions and words") {
  CHECK(analyze_text("Sleep more. Follow me for daily tips").has_cta);
  CHECK(analyze_text("Great thread. What do you think?").has_cta);
  CHECK(analyze_text("New paper out, link in bio").has_cta);
  CHECK(analyze_text("My pick is Dune. What\xE2\x80\x99s yours?").has_cta);  // a phone's apostrophe
  CHECK_FALSE(analyze_text("I gained 1000 followers and my reply rate doubled").has_cta);
  CHECK_FALSE(analyze_text("The commentary was sharp").has_cta);
  CHECK(analyze_text("\xC2\xBF"
                     "Qu\xC3\xA9 opinas?")
            .has_question);
  CHECK(analyze_text("\xE5\xA5\xBD\xE3\x81\x8D\xEF\xBC\x9F").has_question);  // 好き？
  // هل تنام جيدا؟ (Arabic: do you sleep well?)
  CHECK(analyze_text("\xD9\x87\xD9\x84 \xD8\xAA\xD9\x86\xD8\xA7\xD9\x85 "
                     "\xD8\xAC\xD9\x8A\xD8\xAF\xD8\xA7\xD8\x9F")
            .has_question);
  CHECK(analyze_text("Hello \xE2\x80\x94 world \xF0\x9F\x98\x80 !").words == 2);
}

TEST_CASE("structure strings and length bands") {
  const auto f = analyze_text(
      "95% of people think naps ruin sleep, but research shows a 20-minute nap improves recall. "
      "Try it today.");
  CHECK(f.hook == HookType::kSurprisingStat);
  CHECK(f.has_numbers);
  CHECK(f.has_cta);
  CHECK_FALSE(f.has_question);
  CHECK(f.length_band == "medium");
  CHECK(structure_string(f) ==
        "[Surprising stat] + [Contrarian take] + [Evidence] + [Call to action]");
  CHECK(analyze_text("Short.").length_band == "short");
  CHECK(analyze_text(std::string(210, 'a')).length_band == "long");
  CHECK(analyze_text("https://t.co/abcdefghij " + std::string(90, 'a')).length_band == "medium");
  HookType h;
  CHECK(parse_hook("myth_busting", h));
  CHECK(h == HookType::kMythBusting);
  CHECK(parse_hook("contrarian", h));
  CHECK(h == HookType::kContrarian);
  CHECK_FALSE(parse_hook("nonsense", h));
}

TEST_CASE("local embeddings make near-duplicates close and different posts far") {
  const auto a = local_embedding("Sleep 7 hours and your focus improves by 30 percent");
  const auto b = local_embedding("sleep 7 hours and your focus improves by 30 percent!");
  const auto c = local_embedding("Creatine timing does not matter for strength gains");
  CHECK(cosine(a, b) > 0.95);
  CHECK(cosine(a, c) < 0.3);
  CHECK(a.size() == static_cast<size_t>(kLocalEmbeddingDims));
  CHECK(cosine(a, {}) == 0);
}
