// Writes hf-reference.jsonl: the ids HuggingFace's Rust tokenizer gives each input below with all-MiniLM-L6-v2's
// tokenizer configuration (BertNormalizer: clean_text, handle_chinese_chars, lowercase, accents stripped with
// lowercase; BertPreTokenizer; WordPiece with "##", [UNK], 100 chars per word; [CLS] A [SEP]; truncation to 256).
// Not part of the build or the tests; rerun only to add inputs:
//   npm install tokenizers@0.23.2   (HuggingFace tokenizers' Node binding, in any scratch folder)
//   node make-reference.js path/to/vocab.txt > hf-reference.jsonl
// vocab.txt is the one the build extracts (src/Switchyard.Embeddings/obj/minilm/vocab.txt).
// The special tokens are deliberately not registered as added tokens, so "[SEP]" written in a text is text, as in
// Switchyard's tokenizer (the real tokenizer.json would turn it into the control token).
const { Tokenizer } = require('tokenizers');
const fs = require('fs');

const lines = fs.readFileSync(process.argv[2], 'utf8').split(/\r?\n/);
if (lines[lines.length - 1] === '') lines.pop();
const vocab = {};
lines.forEach((token, id) => { vocab[token] = id; });

const config = {
  version: '1.0',
  truncation: { direction: 'Right', max_length: 256, strategy: 'LongestFirst', stride: 0 },
  padding: null,
  added_tokens: [],
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
    },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
};

const long = Array.from({ length: 120 }, (_, i) =>
  `Step ${i + 1}: integrate f(x) = x^${i % 7} + ${i}·sin(x) over [0, π], then compare with the previous result.`).join(' ');
const inputs = [
  'hello world',
  'Hello, World!',
  '$x^2 + y = 10 <= 11 | ~a',
  'if (a != b && c >= d) { return x**2 % 3; } // done',
  'def f(x):\n\treturn [i for i in range(x) if i % 2 == 0]  # evens',
  "SELECT * FROM users WHERE id = 42 AND name LIKE '%bob%';",
  'https://example.com/path?q=1&r=2#frag',
  'naïve café',
  'Ångström Straße İstanbul ÉCOLE Ñandú',
  'ΟΔΟΣ Αθήνα',
  '我爱北京天安门',
  '東京は日本の首都です',
  '한국어 텍스트',
  'Привет, мир!',
  'مرحبا بالعالم',
  'नमस्ते दुनिया',
  'I love pizza 🍕!',
  '😀😃 smile',
  'thumbs 👍🏽 up 👨‍👩‍👧 family',
  'a'.repeat(100),
  'a'.repeat(101),
  'b'.repeat(150) + ' end',
  'tab\there\nnew\u0000null\u200bzero-width\u00adsoft',
  'private \ue000use',
  'a\u00a0b\u2003c\u3000d',
  'e\u0301 combining',
  'ﬁnance ＡＢＣ１２３',
  '“quoted” ‘single’ — dash – en … ellipsis ¿qué? ¡sí!',
  '3.14159 1,000,000 2024-01-01 12:30 $19.99 50% 1e-9',
  'unaffable unbelievably tokenization',
  '[CLS] not a special token [SEP]',
  '𠀀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛',
  'The weather is lovely today.',
  'A man is eating food.',
  '',
  '   ',
  long,
];

(async () => {
  const tokenizer = Tokenizer.fromString(JSON.stringify(config));
  for (const text of inputs) {
    const encoding = await tokenizer.encode(text);
    process.stdout.write(JSON.stringify({ text, ids: encoding.getIds(), tokens: encoding.getTokens() }) + '\n');
  }
})();
