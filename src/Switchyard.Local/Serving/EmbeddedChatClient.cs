using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Switchyard.Local.Models;
using Switchyard.Local.Sampling;
using Switchyard.Routing;

namespace Switchyard.Local.Serving;

/// <summary>
/// A GGUF model running in process as an <see cref="IChatClient"/>: at most
/// <see cref="EmbeddedEngineOptions.MaxParallel"/> generations at once, a bounded queue behind them, exact token usage,
/// streaming token by token. Each generation runs on its own thread and hands text to the caller through a channel, so
/// no request thread is held by the model. Sessions are kept between requests and reuse the longest cached prefix of
/// the new prompt (a conversation's next turn only evaluates what is new).
/// </summary>
public sealed class EmbeddedChatClient : IChatClient, IPromptTokenCounter
{
    private readonly EmbeddedEngineOptions _options;
    private readonly bool _ownsModel;
    private readonly TimeProvider _time;
    private readonly EmbeddedScheduler _scheduler;
    private readonly ChatClientMetadata _metadata;
    private readonly Lock _sessionsGate = new();
    private readonly List<InferenceSession> _idleSessions = [];
    private int _disposed;

    /// <param name="model">The loaded model.</param>
    /// <param name="modelId">The model id reported in responses.</param>
    /// <param name="options">Context, parallelism and queue.</param>
    /// <param name="ownsModel">Whether disposing the client disposes the model.</param>
    /// <param name="timeProvider">The clock for timestamps and speed measurement.</param>
    public EmbeddedChatClient(TransformerModel model, string modelId, EmbeddedEngineOptions? options = null, bool ownsModel = false, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        options ??= new EmbeddedEngineOptions();
        options.Validate();
        Model = model;
        _options = options;
        _ownsModel = ownsModel;
        _time = timeProvider ?? TimeProvider.System;
        _scheduler = new EmbeddedScheduler(options.MaxParallel, options.MaxQueue, options.QueueFullStatus, _time);
        _metadata = new ChatClientMetadata("switchyard-embedded", providerUri: null, defaultModelId: modelId);
        ContextLength = Math.Min(options.ContextLength, model.Hyperparameters.ContextLength);
    }

    /// <summary>The model this client runs.</summary>
    public TransformerModel Model { get; }

    /// <summary>Positions per conversation: the configured context capped at the model's.</summary>
    public int ContextLength { get; }

    /// <summary>The live load: running and waiting requests, recent speed.</summary>
    public ILoadSignal Load => _scheduler;

    /// <summary>Generates the whole reply (the streamed updates collected into one response, with exact token usage).</summary>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <summary>
    /// Waits for a slot, then streams the reply token by token. A request with tools, a prompt that fills the context or
    /// an invalid option fails with a <see cref="ProviderException"/> (400) before it queues; a full queue fails with one
    /// carrying <see cref="EmbeddedEngineOptions.QueueFullStatus"/> (429 or 503).
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var request = Prepare(messages, options);

        using IDisposable lease = await _scheduler.AcquireAsync(cancellationToken).ConfigureAwait(false);
        InferenceSession session = RentSession(request.Prompt);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<ChatResponseUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task producer = Task.Factory.StartNew(
            () => Generate(session, request, channel.Writer, stop.Token),
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await foreach (ChatResponseUpdate update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The caller stopped reading or cancelled: the generation stopped with it.
            }

            ReturnSession(session);
        }
    }

    /// <summary>The prompt tokens the conversation becomes (template rendered, BOS added), exactly as a request would feed them.</summary>
    public int CountPromptTokens(IEnumerable<ChatMessage> messages) => PromptFormatter.Format(messages, Model.Tokenizer, Model.ChatTemplate, _time).Length;

    /// <summary>The client's <see cref="ChatClientMetadata"/>, its <see cref="ILoadSignal"/>, its <see cref="TransformerModel"/>, or the client itself; null for anything else or any key.</summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(ILoadSignal))
        {
            return _scheduler;
        }

        if (serviceType == typeof(TransformerModel))
        {
            return Model;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Refuses new requests, fails those still queued, drops idle sessions, and disposes the model when the client owns it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _scheduler.Dispose();
        lock (_sessionsGate)
        {
            _idleSessions.Clear();
        }

        if (_ownsModel)
        {
            Model.Dispose();
        }
    }

    /// <summary>Checks and converts one request before it takes a slot, so bad requests never queue.</summary>
    private GenerationRequest Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 } && options.ToolMode is not NoneChatToolMode)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, $"The embedded model '{_metadata.DefaultModelId}' does not support tool calling; route requests with tools to a model that does.", 400);
        }

        SamplingOptions sampling = ToSampling(options);
        int[] prompt = PromptFormatter.Format(messages, Model.Tokenizer, Model.ChatTemplate, _time);
        if (prompt.Length >= ContextLength)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, $"The prompt is {prompt.Length} tokens; the embedded model's context is {ContextLength} tokens, which must also leave room for the reply.", 400);
        }

        int room = ContextLength - prompt.Length;
        int maxTokens = options?.MaxOutputTokens is int requested
            ? (requested > 0 ? Math.Min(requested, room) : throw new ProviderException(ProviderFailureKind.BadRequest, $"max_tokens must be at least 1 (was {requested}).", 400))
            : room;
        return new GenerationRequest(prompt, sampling, maxTokens, options?.StopSequences, options?.ModelId ?? _metadata.DefaultModelId!);
    }

    private static SamplingOptions ToSampling(ChatOptions? options)
    {
        var sampling = new SamplingOptions();
        if (options is null)
        {
            return sampling;
        }

        sampling = sampling with
        {
            Temperature = options.Temperature ?? sampling.Temperature,
            TopP = options.TopP ?? sampling.TopP,
            TopK = options.TopK ?? sampling.TopK,
            FrequencyPenalty = options.FrequencyPenalty ?? 0f,
            PresencePenalty = options.PresencePenalty ?? 0f,
            Seed = options.Seed is long seed ? unchecked((int)seed ^ (int)(seed >> 32)) : null,
        };
        if (options.AdditionalProperties is { } extra)
        {
            if (TryGetFloat(extra, "min_p", out float minP))
            {
                sampling = sampling with { MinP = minP };
            }

            if (TryGetFloat(extra, "repetition_penalty", out float penalty) || TryGetFloat(extra, "repeat_penalty", out penalty))
            {
                sampling = sampling with { RepetitionPenalty = penalty };
            }
        }

        try
        {
            sampling.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, ex.Message.Split(Environment.NewLine)[0], 400, innerException: ex);
        }

        return sampling;
    }

    private static bool TryGetFloat(AdditionalPropertiesDictionary extra, string key, out float value)
    {
        value = 0;
        if (!extra.TryGetValue(key, out object? raw) || raw is null)
        {
            return false;
        }

        try
        {
            value = raw switch
            {
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetSingle(),
                IConvertible c => c.ToSingle(CultureInfo.InvariantCulture),
                _ => throw new FormatException(),
            };
            return true;
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, $"{key} must be a number.", 400);
        }
    }

    /// <summary>The idle session sharing the longest prefix with <paramref name="prompt"/>, or a new one.</summary>
    private InferenceSession RentSession(int[] prompt)
    {
        lock (_sessionsGate)
        {
            int best = -1;
            int bestLength = -1;
            for (int i = 0; i < _idleSessions.Count; i++)
            {
                int common = _idleSessions[i].Tokens.CommonPrefixLength(prompt);
                if (common > bestLength)
                {
                    best = i;
                    bestLength = common;
                }
            }

            if (best >= 0)
            {
                InferenceSession session = _idleSessions[best];
                _idleSessions.RemoveAt(best);
                return session;
            }
        }

        return Model.CreateSession(ContextLength, _options.BatchSize);
    }

    private void ReturnSession(InferenceSession session)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        lock (_sessionsGate)
        {
            if (_idleSessions.Count < _options.MaxParallel)
            {
                _idleSessions.Add(session);
            }
        }
    }

    /// <summary>The generation loop, on its own thread: prompt, then sample / emit / evaluate until a stop.</summary>
    private void Generate(InferenceSession session, GenerationRequest request, ChannelWriter<ChatResponseUpdate> writer, CancellationToken cancellationToken)
    {
        try
        {
            ReadOnlySpan<int> prompt = request.Prompt;

            // Keep the cached prefix, but evaluate at least the last prompt token to get fresh logits.
            int reuse = Math.Min(session.Tokens.CommonPrefixLength(prompt), prompt.Length - 1);
            session.Rewind(reuse);
            float[] logits = new float[session.VocabularySize];
            session.Evaluate(prompt[reuse..], logits, cancellationToken);

            var sampler = new Sampler(request.Sampling);
            var decoder = Model.Tokenizer.CreateDecoder();
            var stops = new StopSequenceFilter(request.StopSequences);
            string responseId = "emb-" + Guid.NewGuid().ToString("N");
            DateTimeOffset created = _time.GetUtcNow();
            ChatFinishReason finish = ChatFinishReason.Length;
            int generated = 0;
            long decodeStart = _time.GetTimestamp();

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int token = sampler.Sample(logits, session.Tokens);
                if (Model.Tokenizer.IsEndOfGeneration(token))
                {
                    finish = ChatFinishReason.Stop;
                    break;
                }

                generated++;
                string text = stops.Append(decoder.Append(token));
                if (text.Length > 0)
                {
                    writer.TryWrite(TextUpdate(responseId, request.ModelId, created, text));
                }

                if (stops.Stopped)
                {
                    finish = ChatFinishReason.Stop;
                    break;
                }

                if (generated >= request.MaxTokens || session.Position >= session.ContextLength)
                {
                    break;
                }

                session.Evaluate([token], logits, cancellationToken);
            }

            if (!stops.Stopped)
            {
                string rest = stops.Append(decoder.Flush());
                rest += stops.Stopped ? string.Empty : stops.Flush();
                if (rest.Length > 0)
                {
                    writer.TryWrite(TextUpdate(responseId, request.ModelId, created, rest));
                }
            }

            TimeSpan elapsed = _time.GetElapsedTime(decodeStart);
            _scheduler.RecordDecode(generated, elapsed);
            var usage = new UsageDetails
            {
                InputTokenCount = request.Prompt.Length,
                OutputTokenCount = generated,
                TotalTokenCount = request.Prompt.Length + generated,
            };
            writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)])
            {
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = request.ModelId,
                CreatedAt = created,
                FinishReason = finish,
            });
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            // A cancelled evaluation leaves the session at the last whole batch, so it stays reusable. Anything else
            // reaches the reader, which rethrows it to the caller.
            writer.TryComplete(ex);
        }
    }

    private static ChatResponseUpdate TextUpdate(string responseId, string modelId, DateTimeOffset created, string text) =>
        new(ChatRole.Assistant, text)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = modelId,
            CreatedAt = created,
        };

    private sealed record GenerationRequest(int[] Prompt, SamplingOptions Sampling, int MaxTokens, IList<string>? StopSequences, string ModelId);
}
