// Generates oracle_cases.jsonl: random texts (emoji sequences, URLs with and
// without protocol, mentions, hashtags, cashtags, CJK, RTL, directional marks,
// HTML entities) and what X's reference implementation says of them. Not run by
// the tests, which need no node; rerun by hand to extend the cases:
//   npm install twitter-text@3.1.0 twemoji-parser@14.0.0   (with an "overrides"
//   entry so twitter-text uses twemoji-parser 14)
//   node generate_oracle_cases.js SEED COUNT > oracle_cases.jsonl
// Left out on purpose, where growthloop follows Unicode's data rather than
// twemoji-parser 14 (see lib/x/tweet_text_emoji.cpp): Emoji 15.0 sequences,
// U+267E U+FE0F and the fully-qualified eye in speech bubble.
const tt = require('twitter-text');
const fs = require('fs');
let seed = +process.argv[2] || 1;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = a => a[Math.floor(rnd() * a.length)];
const seqs = [];
for (const f of ['emoji-sequences.txt', 'emoji-zwj-sequences.txt', 'emoji-variation-sequences.txt']) {
  for (const line of fs.readFileSync('/usr/share/unicode/emoji/' + f, 'utf8').split('\n')) {
    const l = line.split('#')[0].trim();
    if (!l || /E15\.0/.test(line) || /^(267E|1F441 FE0F 200D)/.test(line)) continue;
    const cps = l.split(';')[0].trim();
    if (cps.includes('..')) {
      const [a, b] = cps.split('..').map(h => parseInt(h, 16));
      seqs.push(String.fromCodePoint(a + Math.floor(rnd() * (b - a + 1))));
      continue;
    }
    seqs.push(String.fromCodePoint(...cps.split(' ').map(h => parseInt(h, 16))));
  }
}
const pieces = [
  () => pick(seqs), () => pick(seqs).replace(/\ufe0f/g, ''), () => pick(seqs) + '\ufe0f', () => pick(seqs) + '\ufe0e',
  () => '\u200d', () => '\ufe0f', () => pick(['0', '1', '#', '*']) + pick(['', '\ufe0f']) + pick(['', '\u20e3']),
  () => ' ', () => ' ', () => '\n',
  () => pick(['.', ',', '!', '?', '(', ')', '"', "'", ':', '/', '-', '_', '@', '#', '$', '&', '…', '—', '“', '”']),
  () => pick(['hello', 'world', 'Stats', 'rt', 'RT', '2023', '50%', 'über', 'ñandú', 'café']),
  () => pick(['日本語', '中文', '한국어', 'русский', 'العربية', 'עברית', 'ไทย', 'हिन्दी']),
  () => pick(['http://', 'https://', 'HTTP://', '']) +
        pick(['example.com', 't.co/abc12', 'bit.ly/x', 'foo.co.uk', 'a.b.c.museum', 'xn--ls8h.la', 'foobar.みんな',
              'ex-ample.io', 'wiki.org/Primer_(film)', 'x.com/path?q=1&b=2.', 'google.com/#foo', 'example.com:8080/a']) +
        pick(['', '/', '/abc', ').', '...', '?x=y', '#frag']),
  () => '@' + pick(['user', 'User_1', 'a', 'list/slug', '12345', 'toolongusername_abcdefghijkl']),
  () => pick(['#', '＃']) + pick(['tag', 'Tag123', '123', 'über', '日本', '_', 'a_b']),
  () => '$' + pick(['AAPL', 'TEST.T', 'btc', 'X', 'TOOLONGX', '123']),
  () => pick(['&amp;', '&lt;', '&gt;', '&quot;', '&#39;']),
  () => String.fromCodePoint(Math.floor(rnd() * 0x3000)), () => String.fromCodePoint(0x1f000 + Math.floor(rnd() * 0xb00)),
  () => pick(['\u2066', '\u202a', '\u200e', '\ufeff', '\u3002', '\uff0e']),
];
const kind = e => e.url !== undefined ? 'url' : e.screenName !== undefined ? 'mention' : e.hashtag !== undefined ? 'hashtag' : 'cashtag';
const n = +process.argv[3] || 500;
for (let i = 0; i < n; i++) {
  let s = '';
  const k = 1 + Math.floor(rnd() * 25);
  for (let j = 0; j < k; j++) s += pick(pieces)();
  if (rnd() < 0.1) s = s.repeat(1 + Math.floor(rnd() * 12));
  const r = tt.parseTweet(s);
  console.log(JSON.stringify({
    text: s, weighted_length: r.weightedLength, valid: r.valid, valid_range_end: r.validRangeEnd,
    entities: tt.extractEntitiesWithIndices(s).map(e => [kind(e), e.url || e.screenName || e.hashtag || e.cashtag, e.listSlug || '', ...e.indices]),
    urls: tt.extractUrlsWithIndices(s).map(e => [e.url, ...e.indices]),
    hashtags: tt.extractHashtagsWithIndices(s).map(e => [e.hashtag, ...e.indices]),
    mentions: tt.extractMentionsWithIndices(s).map(e => [e.screenName, ...e.indices]),
    cashtags: tt.extractCashtagsWithIndices(s).map(e => [e.cashtag, ...e.indices]),
  }));
}
