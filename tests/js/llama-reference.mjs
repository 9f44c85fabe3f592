// Reference runner: real llama.cpp (the prebuilt CPU binaries of node-llama-cpp 3.22.1), so Switchyard.Local's tests
// can compare their tokenization, greedy tokens and logits against it.
//
//   node llama-reference.mjs --model FILE (--prompt TEXT | --tokens 1,2,3) [--n 32] [--logits K] [--threads N]
//                            [--add-bos] [--parse-special]
//     -> {"prompt_tokens":[...], "tokens":[...], "text":"...", "logits":[[...], ...], ...}
//   node llama-reference.mjs --model FILE --prompt TEXT --tokenize-only [--parse-special]
//     -> {"tokens":[...], "tokens_with_bos":[...], "bos":1, "model_adds_bos":true}
//
// JSON goes to stdout; errors go to stderr with exit code 1 (2 for bad arguments).
//
// Generation is greedy: temperature 0 with no repeat penalty, token bias, grammar or other sampler, so the sampler
// chain is llama.cpp's greedy sampler alone, which leaves the logits untouched. logits[i] is the full vocabulary
// logit vector (raw, before softmax) from which tokens[i] was picked; logits[0] is the one after the whole prompt.
// Values are float32, printed with few enough digits to stay short and enough to read back to the same float32.
// Generation stops after n tokens, or after an end-of-generation token (which is kept in "tokens").
//
// Install notes for package.json (which cannot hold comments):
// - config.nodeLlamaCppPostinstall = "skip" turns node-llama-cpp's postinstall off, so `npm ci` never tries to
//   download or compile llama.cpp; this script loads the prebuilt @node-llama-cpp/linux-x64 binaries only.
// - "overrides" alias the CUDA, Vulkan and ARM binary packages (about 640 MB) to the riscv64 one, an optional package
//   for another CPU that npm skips on x64; the Windows, macOS and riscv64 packages were never published at 3.22.1, so
//   they are pinned at 3.21.1 (never installed on Linux) to keep the lock file complete for `npm ci`.
//   Bump them together with node-llama-cpp.
import { parseArgs } from "node:util";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const usage =
    "usage: node llama-reference.mjs --model FILE (--prompt TEXT | --tokens 1,2,3) [--n 32] [--logits K] " +
    "[--threads N] [--add-bos] [--parse-special] [--tokenize-only]";

class UsageError extends Error {}

function parseOptions(argv) {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                "model": { type: "string" },
                "prompt": { type: "string" },
                "tokens": { type: "string" },
                "n": { type: "string", default: "32" },
                "logits": { type: "string", default: "0" },
                "threads": { type: "string", default: "2" },
                "add-bos": { type: "boolean", default: false },
                "parse-special": { type: "boolean", default: false },
                "tokenize-only": { type: "boolean", default: false },
            },
        }));
    } catch (err) {
        throw new UsageError(err.message);
    }

    if (values.model === undefined)
        throw new UsageError("--model is required");
    if ((values.prompt === undefined) === (values.tokens === undefined))
        throw new UsageError("give exactly one of --prompt and --tokens");
    if (values["tokenize-only"] && values.prompt === undefined)
        throw new UsageError("--tokenize-only needs --prompt");

    return {
        model: values.model,
        prompt: values.prompt,
        tokens: values.tokens === undefined ? undefined : parseTokenList(values.tokens),
        n: parseCount("--n", values.n, 0),
        logits: parseCount("--logits", values.logits, 0),
        threads: parseCount("--threads", values.threads, 1),
        addBos: values["add-bos"],
        parseSpecial: values["parse-special"],
        tokenizeOnly: values["tokenize-only"],
    };
}

function parseCount(name, text, min) {
    if (!/^\d+$/.test(text) || Number(text) < min)
        throw new UsageError(`${name} must be an integer >= ${min}, got '${text}'`);
    return Number(text);
}

function parseTokenList(text) {
    const parts = text.split(",").map(part => part.trim()).filter(part => part !== "");
    if (parts.length === 0 || parts.some(part => !/^\d+$/.test(part)))
        throw new UsageError(`--tokens must be a comma-separated list of token ids, got '${text}'`);
    return parts.map(Number);
}

// A short decimal that reads back to the same float32 (9 significant digits always do; most need 6 to 8).
function float32ToJson(value) {
    if (!Number.isFinite(value))
        throw new Error(`llama.cpp produced a non-finite logit (${value})`);
    for (let digits = 6; digits < 9; digits++) {
        const text = value.toPrecision(digits);
        if (Math.fround(Number(text)) === value)
            return Number(text);
    }
    return Number(value.toPrecision(9));
}

function logitVector(logitMap, vocabSize) {
    if (logitMap === undefined || logitMap.size !== vocabSize)
        throw new Error(`expected ${vocabSize} logits, got ${logitMap?.size ?? "none"}`);
    const vector = new Array(vocabSize);
    for (const [token, value] of logitMap)
        vector[token] = float32ToJson(value);
    return vector;
}

async function loadLlama(threads) {
    // gpu: false and build: "never" use the prebuilt CPU binaries of @node-llama-cpp/linux-x64 and never download or
    // compile llama.cpp; a missing binary is an error instead.
    return await getLlama({
        gpu: false,
        build: "never",
        usePrebuiltBinaries: true,
        skipDownload: true,
        progressLogs: false,
        maxThreads: threads,
        logLevel: LlamaLogLevel.error,
        logger: (level, message) => process.stderr.write(`[llama.cpp ${level}] ${message}\n`),
    });
}

async function tokenizeOnly(llama, options) {
    const model = await llama.loadModel({ modelPath: options.model, gpuLayers: 0, vocabOnly: true });
    try {
        const tokens = model.tokenize(options.prompt, options.parseSpecial);
        const bos = model.tokens.bos;
        return {
            tokens,
            tokens_with_bos: bos === null ? tokens : [bos, ...tokens],
            bos,
            model_adds_bos: model.tokens.shouldPrependBosToken,
        };
    } finally {
        await model.dispose();
    }
}

function generateNextOptions(withLogits) {
    return { generateNext: { token: true, logits: withLogits, options: { temperature: 0 } } };
}

async function generate(llama, options) {
    const model = await llama.loadModel({ modelPath: options.model, gpuLayers: 0 });
    try {
        const bos = model.tokens.bos;
        const body = options.tokens ?? model.tokenize(options.prompt, options.parseSpecial);
        if (options.addBos && bos === null)
            throw new Error("--add-bos given but the model has no BOS token");
        const promptTokens = options.addBos ? [bos, ...body] : body;
        if (promptTokens.length === 0)
            throw new Error("the prompt has no tokens (give --add-bos or a non-empty prompt)");

        // One context sized for the whole run, and a batch as large as the context: the prompt is decoded in a single
        // llama_decode call (node-llama-cpp sets n_ubatch = n_batch), then one call per generated token.
        const contextSize = Math.max(promptTokens.length + options.n, 8);
        const context = await model.createContext({
            contextSize,
            batchSize: contextSize,
            sequences: 1,
            threads: options.threads,
            flashAttention: false,
        });
        try {
            const sequence = context.getSequence();
            const tokens = [];
            const logits = [];
            let vocabSize;
            let input = [
                ...promptTokens.slice(0, -1),
                [promptTokens[promptTokens.length - 1], generateNextOptions(options.logits > 0)],
            ];
            while (tokens.length < options.n) {
                const results = await sequence.controlledEvaluate(input);
                const next = results[input.length - 1]?.next;
                if (next?.token === undefined || next.token === null)
                    throw new Error(`llama.cpp returned no token at generated position ${tokens.length}`);
                if (next.logits !== undefined) {
                    vocabSize ??= next.logits.size;
                    logits.push(logitVector(next.logits, vocabSize));
                }
                tokens.push(next.token);
                if (model.isEogToken(next.token) || tokens.length === options.n)
                    break;
                input = [[next.token, generateNextOptions(tokens.length < options.logits)]];
            }

            return {
                prompt_tokens: promptTokens,
                tokens,
                text: model.detokenize(tokens, false, promptTokens),
                logits,
                n_vocab: vocabSize ?? null,
                bos,
                model_adds_bos: model.tokens.shouldPrependBosToken,
                context_size: context.contextSize,
                batch_size: context.batchSize,
                threads: context.currentThreads,
            };
        } finally {
            await context.dispose();
        }
    } finally {
        await model.dispose();
    }
}

async function main() {
    let options;
    try {
        options = parseOptions(process.argv.slice(2));
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`llama-reference: ${err.message}\n${usage}\n`);
            return 2;
        }
        throw err;
    }

    const llama = await loadLlama(options.threads);
    try {
        const result = options.tokenizeOnly ? await tokenizeOnly(llama, options) : await generate(llama, options);
        process.stdout.write(JSON.stringify(result) + "\n");
    } finally {
        await llama.dispose();
    }
    return 0;
}

try {
    process.exitCode = await main();
} catch (err) {
    process.stderr.write(`llama-reference: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
}
