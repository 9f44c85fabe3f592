#!/usr/bin/env node
// Drives Switchyard's Anthropic Messages endpoint (POST /v1/messages) with the official `@anthropic-ai/sdk`.
//
// Usage: node anthropic-client.mjs <scenario> <baseURL> [model]
//   scenario: plain | stream | tool | tool-stream | system-and-blocks | error | midstream-failure |
//             thinking-roundtrip | thinking-roundtrip-stream
//   baseURL:  the gateway's root, e.g. http://127.0.0.1:4000 (the SDK appends /v1/messages)
//   model:    defaults to "default"
//
// Prints exactly one JSON line to stdout and exits 0, including when the SDK
// throws: then the line is {"error": {name, status, type, message, api_message, body, request_id}}.
// The caller asserts on that JSON. Bad command-line usage exits 2.

import Anthropic from "@anthropic-ai/sdk";

const SCENARIOS = [
  "plain",
  "stream",
  "tool",
  "tool-stream",
  "system-and-blocks",
  "error",
  "midstream-failure",
  "thinking-roundtrip",
  "thinking-roundtrip-stream",
];

const [scenario, baseURL, model = "default"] = process.argv.slice(2);

if (!SCENARIOS.includes(scenario) || !baseURL) {
  process.stderr.write(
    `usage: node anthropic-client.mjs <${SCENARIOS.join("|")}> <baseURL> [model]\n`,
  );
  process.exit(2);
}

const client = new Anthropic({
  baseURL: baseURL.replace(/\/+$/, ""),
  apiKey: process.env.SWITCHYARD_KEY ?? "test-key",
  maxRetries: 0,
  timeout: 30000,
});

const MAX_TOKENS = 64;

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Get the current weather for a city.",
  input_schema: {
    type: "object",
    properties: { city: { type: "string", description: "City name" } },
    required: ["city"],
  },
};

// A 1×1 transparent PNG.
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

// Fields of an SDK error when present; null otherwise. `body` is the parsed error body (err.error).
function describeError(err) {
  const pick = (key) => (err != null && err[key] !== undefined ? err[key] : null);
  return {
    name: err?.constructor?.name ?? pick("name"),
    status: pick("status"),
    type: pick("type") ?? err?.error?.error?.type ?? null,
    message: err?.message ?? String(err),
    api_message: pick("apiMessage") ?? err?.error?.error?.message ?? null,
    body: pick("error"),
    request_id: pick("requestID"),
    retry_after: err?.headers?.get?.("retry-after") ?? null,
  };
}

// What a message object (create() result or a stream's final message) says.
function describeMessage(message) {
  return {
    id: message.id ?? null,
    type: message.type ?? null,
    role: message.role ?? null,
    model: message.model ?? null,
    stop_reason: message.stop_reason ?? null,
    stop_sequence: message.stop_sequence ?? null,
    usage: message.usage ?? null,
    content: message.content ?? null,
    text: (message.content ?? [])
      .filter((b) => b.type === "text")
      .map((b) => b.text)
      .join(""),
    request_id: message._request_id ?? null,
  };
}

// An event as recorded for the caller: its type, plus the block index and block/delta type where there is one.
function describeEvent(event) {
  const out = { type: event.type };
  if (event.index !== undefined) out.index = event.index;
  if (event.type === "content_block_start") out.block = event.content_block?.type ?? null;
  if (event.type === "content_block_delta") out.delta = event.delta?.type ?? null;
  return out;
}

// Runs a streamed request through messages.stream() and records everything it saw; never throws.
async function runStream(params) {
  const events = [];
  let text = "";
  let error = null;
  let final = null;
  const stream = client.messages.stream(params);
  stream.on("text", (delta) => {
    text += delta;
  });
  try {
    for await (const event of stream) {
      events.push(describeEvent(event));
    }
    final = await stream.finalMessage();
  } catch (err) {
    error = describeError(err);
  }
  return {
    text,
    event_types: events.map((e) => e.type),
    events,
    final: final == null ? null : describeMessage(final),
    request_id: stream.request_id ?? null,
    error,
  };
}

async function plain() {
  const { data, response } = await client.messages
    .create({
      model,
      max_tokens: MAX_TOKENS,
      messages: [{ role: "user", content: "hello from node" }],
    })
    .withResponse();
  return {
    ...describeMessage(data),
    // Which properties came back, for comparing with the SDK's Message and Usage types.
    keys: Object.keys(data).sort(),
    usage_keys: Object.keys(data.usage ?? {}).sort(),
    block_keys: (data.content ?? []).map((b) => Object.keys(b).sort()),
    route: response.headers.get("x-switchyard-route"),
    x_request_id: response.headers.get("x-request-id"),
  };
}

async function stream() {
  return runStream({
    model,
    max_tokens: MAX_TOKENS,
    system: "You are terse.",
    messages: [{ role: "user", content: "hello from node" }],
  });
}

async function tool() {
  const messages = [{ role: "user", content: "weather in Paris?" }];
  const first = await client.messages.create({
    model,
    max_tokens: MAX_TOKENS,
    tools: [WEATHER_TOOL],
    messages,
  });
  const use = first.content?.find((b) => b.type === "tool_use");
  if (!use) {
    throw new Error(
      `expected a tool_use block, got stop_reason=${first.stop_reason} content=${JSON.stringify(first.content)}`,
    );
  }
  // Send the assistant turn back exactly as the SDK returned it, with the tool result.
  const second = await client.messages.create({
    model,
    max_tokens: MAX_TOKENS,
    tools: [WEATHER_TOOL],
    messages: [
      ...messages,
      { role: "assistant", content: first.content },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: use.id, content: JSON.stringify({ temp_c: 21 }) }],
      },
    ],
  });
  return {
    stop_reason: first.stop_reason ?? null,
    tool_use_id: use.id ?? null,
    tool_name: use.name ?? null,
    tool_input: use.input ?? null,
    first_content_types: (first.content ?? []).map((b) => b.type),
    second_ok: second.type === "message" && second.role === "assistant",
    second_stop_reason: second.stop_reason ?? null,
    second_text: describeMessage(second).text,
  };
}

async function toolStream() {
  const result = await runStream({
    model,
    max_tokens: MAX_TOKENS,
    tools: [WEATHER_TOOL],
    messages: [{ role: "user", content: "weather in Paris?" }],
  });
  const use = result.final?.content?.find((b) => b.type === "tool_use") ?? null;
  return {
    ...result,
    tool_use_id: use?.id ?? null,
    tool_name: use?.name ?? null,
    tool_input: use?.input ?? null,
  };
}

async function systemAndBlocks() {
  const res = await client.messages.create({
    model,
    max_tokens: MAX_TOKENS,
    system: [
      { type: "text", text: "You are terse." },
      { type: "text", text: "Answer in English.", cache_control: { type: "ephemeral" } },
    ],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "describe " },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_1X1 } },
          { type: "text", text: "this image" },
        ],
      },
    ],
  });
  return describeMessage(res);
}

// Three failures: one refused by the gateway's reader, one for an unknown model, one from the upstream.
async function error() {
  const attempt = async (params) => {
    try {
      const res = await client.messages.create(params);
      return { error: null, message: describeMessage(res) };
    } catch (err) {
      return { error: describeError(err) };
    }
  };
  const messages = [{ role: "user", content: "hi" }];
  return {
    missing_max_tokens: await attempt({ model, messages }),
    unknown_model: await attempt({ model: "no-such-model", max_tokens: MAX_TOKENS, messages }),
    upstream: await attempt({ model, max_tokens: MAX_TOKENS, messages }),
  };
}

// The upstream dies after a few deltas: does the SDK raise, or does the stream end as if complete?
async function midstreamFailure() {
  const result = await runStream({
    model,
    max_tokens: MAX_TOKENS,
    messages: [{ role: "user", content: "count" }],
  });
  return { ...result, clean_end: result.error == null };
}

// Extended thinking over two turns: the first answer's content (thinking block and signature untouched) goes back as
// the assistant turn, as the docs require, followed by a new user message. The first turn is streamed when `streamed`.
async function thinkingRoundtrip(streamed) {
  const THINKING = { type: "enabled", budget_tokens: 1024 };
  const THINKING_MAX_TOKENS = 2048;
  const messages = [{ role: "user", content: "What is 27 * 453?" }];
  const params = { model, max_tokens: THINKING_MAX_TOKENS, thinking: THINKING, messages };
  let first;
  let firstStream = null;
  if (streamed) {
    firstStream = await runStream(params);
    if (firstStream.error != null || firstStream.final == null) {
      return { first_stream: firstStream, error: firstStream.error ?? { message: "no final message" } };
    }
    first = firstStream.final;
  } else {
    first = describeMessage(await client.messages.create(params));
  }
  const content = first.content ?? [];
  const thinking = content.find((b) => b.type === "thinking") ?? null;
  const second = await client.messages.create({
    model,
    max_tokens: THINKING_MAX_TOKENS,
    thinking: THINKING,
    messages: [
      ...messages,
      { role: "assistant", content },
      { role: "user", content: "Now divide that by 3." },
    ],
  });
  return {
    first_content_types: content.map((b) => b.type),
    first_text: first.text,
    first_stop_reason: first.stop_reason,
    thinking: thinking?.thinking ?? null,
    signature: thinking?.signature ?? null,
    first_events: firstStream?.events ?? null,
    second_content_types: (second.content ?? []).map((b) => b.type),
    second_text: describeMessage(second).text,
    second_stop_reason: second.stop_reason ?? null,
  };
}

const RUNNERS = {
  plain,
  stream,
  tool,
  "tool-stream": toolStream,
  "system-and-blocks": systemAndBlocks,
  error,
  "midstream-failure": midstreamFailure,
  "thinking-roundtrip": () => thinkingRoundtrip(false),
  "thinking-roundtrip-stream": () => thinkingRoundtrip(true),
};

let result;
try {
  result = await RUNNERS[scenario]();
} catch (err) {
  result = { error: describeError(err) };
}
process.stdout.write(JSON.stringify(result) + "\n");
process.exitCode = 0;
