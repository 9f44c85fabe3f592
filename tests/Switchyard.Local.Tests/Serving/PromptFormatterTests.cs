using Microsoft.Extensions.AI;
using Switchyard.Local.Gguf;
using Switchyard.Local.Serving;
using Switchyard.Local.Templates;
using Switchyard.Local.Tests.Infrastructure;
using Switchyard.Local.Tests.Templates;
using Switchyard.Local.Tests.Tokenization;
using Switchyard.Local.Tokenization;
using Switchyard.Routing;

namespace Switchyard.Local.Tests.Serving;

/// <summary>From chat messages to prompt tokens: plain continuation for base models, chat templates otherwise.</summary>
public sealed class PromptFormatterTests
{
    private static readonly Lazy<GgufTokenizer> StoriesTokenizer = new(() =>
    {
        using GgufFile file = GgufFile.Open(TestPaths.Stories260K);
        return GgufTokenizer.FromMetadata(file.Metadata);
    });

    private static readonly TimeProvider Clock = new FixedTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));

    private static GgufTokenizer Stories => StoriesTokenizer.Value;

    [Fact]
    public void Base_model_continues_the_user_text_after_bos()
    {
        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "Once upon a time")], Stories, null, Clock);

        Assert.Equal([1, 403, 407, 261, 378], tokens);
    }

    [Fact]
    public void Base_model_joins_messages_with_newlines_without_role_labels()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Lily had a cat."),
            new(ChatRole.User, "One day"),
            new(ChatRole.Assistant, "the cat ran"),
        ];

        int[] tokens = PromptFormatter.Format(messages, Stories, null, Clock);

        Assert.Equal(Stories.Encode("Lily had a cat.\nOne day\nthe cat ran", addSpecial: true, parseSpecial: false), tokens);
        Assert.Equal("Lily had a cat.\nOne day\nthe cat ran", Stories.Decode(tokens.AsSpan(1)));
        Assert.Equal(1, tokens.Count(t => t == 1));
    }

    [Fact]
    public void Text_parts_of_one_message_are_concatenated()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("Once upon"), new TextContent(" a time")]);

        Assert.Equal([1, 403, 407, 261, 378], PromptFormatter.Format([message], Stories, null, Clock));
    }

    [Fact]
    public void Base_model_does_not_parse_special_token_text()
    {
        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "<s>Hi")], Stories, null, Clock);

        Assert.Equal(1, tokens.Count(t => t == 1));
        Assert.Equal("<s>Hi", Stories.Decode(tokens.AsSpan(1)));
    }

    public static TheoryData<AIContent, string> NonTextContents => new()
    {
        { new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png"), "DataContent" },
        { new UriContent(new Uri("https://example.com/cat.png"), "image/png"), "UriContent" },
        { new FunctionCallContent("call_1", "get_weather"), "FunctionCallContent" },
        { new FunctionResultContent("call_1", "sunny"), "FunctionResultContent" },
    };

    [Theory]
    [MemberData(nameof(NonTextContents))]
    public void Non_text_content_is_a_bad_request(AIContent content, string typeName)
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("What is this?"), content]);

        var ex = Assert.Throws<ProviderException>(() => PromptFormatter.Format([message], Stories, null, Clock));

        Assert.Equal(ProviderFailureKind.BadRequest, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains(typeName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("text only", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public void Non_text_content_is_refused_with_a_template_too()
    {
        var template = TemplateTestData.Load("chatml-openhermes-2.5.jinja");
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/jpeg")]);

        var ex = Assert.Throws<ProviderException>(() => PromptFormatter.Format([message], Stories, template, Clock));
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public void No_messages_is_a_bad_request()
    {
        var ex = Assert.Throws<ProviderException>(() => PromptFormatter.Format([], Stories, null, Clock));

        Assert.Equal(ProviderFailureKind.BadRequest, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public void ChatMl_template_on_a_vocabulary_with_chatml_tokens()
    {
        var qwen = VocabularyVectors.Tokenizer("qwen2");
        var template = TemplateTestData.Load("chatml-openhermes-2.5.jinja");
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi there")];

        int[] tokens = PromptFormatter.Format(messages, qwen, template, Clock);

        string expectedText = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n";
        Assert.Equal(qwen.Encode(expectedText, addSpecial: false, parseSpecial: true), tokens);
        Assert.Equal(151644, tokens[0]);
        Assert.Equal(3, tokens.Count(t => t == 151644));
        Assert.Equal(2, tokens.Count(t => t == 151645));
    }

    [Fact]
    public void ChatMl_template_with_the_stories_tokenizer_renders_the_expected_structure()
    {
        var template = TemplateTestData.Load("chatml-openhermes-2.5.jinja");
        ChatMessage[] messages = [new(ChatRole.User, "Hello"), new(ChatRole.Assistant, "Hi"), new(ChatRole.User, "Tell a story")];

        int[] tokens = PromptFormatter.Format(messages, Stories, template, Clock);

        Assert.Equal(1, tokens[0]);
        Assert.Equal(1, tokens.Count(t => t == 1));
        Assert.Equal(
            "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi<|im_end|>\n<|im_start|>user\nTell a story<|im_end|>\n<|im_start|>assistant\n",
            Stories.Decode(tokens.AsSpan(1)));
    }

    [Fact]
    public void Template_that_writes_bos_itself_gives_a_single_bos()
    {
        var llama3 = VocabularyVectors.Tokenizer("llama-bpe");
        Assert.True(llama3.AddBos);
        var template = TemplateTestData.Load("llama-3-simplified.jinja");

        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "Hello")], llama3, template, Clock);

        Assert.Equal(128000, tokens[0]);
        Assert.Equal(1, tokens.Count(t => t == 128000));
        Assert.Equal(128006, tokens[1]);
        Assert.Equal(
            llama3.Encode("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", addSpecial: false, parseSpecial: true),
            tokens);
    }

    [Fact]
    public void Template_that_writes_bos_itself_gives_a_single_bos_with_spm()
    {
        var template = ChatTemplate.Parse("{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}[assistant]");

        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "Hi")], Stories, template, Clock);

        Assert.Equal(1, tokens[0]);
        Assert.Equal(1, tokens.Count(t => t == 1));
        Assert.Equal("[user] Hi\n[assistant]", Stories.Decode(tokens.AsSpan(1)));
    }

    [Fact]
    public void Bos_and_eos_texts_reach_the_template()
    {
        var template = ChatTemplate.Parse("{{ '(' + bos_token + '|' + eos_token + ')' }}{% if add_generation_prompt %}go{% endif %}");

        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "x")], Stories, template, Clock);

        // <s> and </s> are parsed into the control tokens 1 and 2 (the rendered text starts with "(", so BOS is added).
        Assert.Equal([1, .. Stories.Encode("(<s>|</s>)go", addSpecial: false, parseSpecial: true)], tokens);
        Assert.Equal(2, tokens.Count(t => t == 1));
        Assert.Contains(2, tokens);
    }

    [Fact]
    public void Eos_is_never_appended_even_when_the_vocabulary_asks_for_it()
    {
        var tokenizer = new GgufTokenizer(new TokenizerVocabulary
        {
            Model = TokenizerModelKind.SentencePiece,
            Tokens = ["<unk>", "<s>", "</s>", "\u2581", "a", "\u2581a"],
            TokenTypes = [GgufTokenType.Unknown, GgufTokenType.Control, GgufTokenType.Control, GgufTokenType.Normal, GgufTokenType.Normal, GgufTokenType.Normal],
            Scores = [0, 0, 0, -1, -1, -0.5f],
            AddEos = true,
        });
        Assert.True(tokenizer.AddEos);
        Assert.Equal([1, 5, 2], tokenizer.Encode("a", addSpecial: true, parseSpecial: false));

        Assert.Equal([1, 5], PromptFormatter.Format([new ChatMessage(ChatRole.User, "a")], tokenizer, null, Clock));
        Assert.Equal([1, 5], PromptFormatter.Format([new ChatMessage(ChatRole.User, "a")], tokenizer, ChatTemplate.Parse("{{ messages[0].content }}"), Clock));
    }

    [Fact]
    public void Template_without_bos_on_a_vocabulary_that_adds_none_gets_none()
    {
        var qwen = VocabularyVectors.Tokenizer("qwen2");
        Assert.False(qwen.AddBos);

        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "Hi")], qwen, ChatTemplate.Parse("{{ messages[0].content }}"), Clock);

        Assert.Equal(qwen.Encode("Hi", addSpecial: false, parseSpecial: false), tokens);
    }

    [Fact]
    public void Template_raise_exception_becomes_a_bad_request_with_its_message()
    {
        var template = TemplateTestData.Load("gemma-7b-it.jinja");
        ChatMessage[] messages = [new(ChatRole.System, "Be nice."), new(ChatRole.User, "Hi")];

        var ex = Assert.Throws<ProviderException>(() => PromptFormatter.Format(messages, Stories, template, Clock));

        Assert.Equal(ProviderFailureKind.BadRequest, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("System role not supported", ex.Message);
        Assert.IsType<ChatTemplateException>(ex.InnerException);
    }

    [Fact]
    public void Template_render_error_becomes_a_bad_request()
    {
        var template = ChatTemplate.Parse("{{ messages[0].content + 1 }}");

        var ex = Assert.Throws<ProviderException>(() => PromptFormatter.Format([new ChatMessage(ChatRole.User, "Hi")], Stories, template, Clock));

        Assert.Equal(ProviderFailureKind.BadRequest, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("chat template", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_clock_is_the_given_time_provider()
    {
        var template = ChatTemplate.Parse("Today is {{ strftime_now('%Y-%m-%d') }}.");

        int[] tokens = PromptFormatter.Format([new ChatMessage(ChatRole.User, "Hi")], Stories, template, Clock);

        Assert.Equal("Today is 2025-03-14.", Stories.Decode(tokens.AsSpan(1)));
    }
}
