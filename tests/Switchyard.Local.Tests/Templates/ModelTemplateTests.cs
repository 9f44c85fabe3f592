using System.Text.Json;
using Switchyard.Local.Templates;

namespace Switchyard.Local.Tests.Templates;

/// <summary>
/// Real chat templates (Data/*.jinja) rendered for llama.cpp's test conversation. The expected texts follow
/// llama.cpp's test-chat-template.cpp where it renders the template as Hugging Face does; where llama.cpp first
/// rewrites the conversation (it folds a system message into the first user turn for templates that reject one),
/// these tests render without the system message instead, or expect the template's own error.
/// </summary>
public sealed class ModelTemplateTests
{
    private static readonly ChatTemplateMessage[] Full = TemplateTestData.Conversation;
    private static readonly ChatTemplateMessage[] NoSystem = TemplateTestData.WithoutSystem;

    [Fact]
    public void ChatMl_OpenHermes()
    {
        string text = TemplateTestData.Render("chatml-openhermes-2.5.jinja", Full);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
            + "<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n"
            + "<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n"
            + "<|im_start|>assistant\n",
            text);
    }

    [Fact]
    public void ChatMl_WithoutGenerationPrompt_EndsAfterLastTurn()
    {
        string text = TemplateTestData.Render("chatml-openhermes-2.5.jinja", [new("user", "Hi")], addGenerationPrompt: false);

        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n", text);
    }

    [Fact]
    public void Qwen25_KeepsGivenSystemMessage()
    {
        string text = TemplateTestData.Render("qwen2.5-instruct.jinja", Full);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
            + "<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n"
            + "<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n"
            + "<|im_start|>assistant\n",
            text);
    }

    [Fact]
    public void Qwen25_AddsDefaultSystemMessage()
    {
        string text = TemplateTestData.Render("qwen2.5-instruct.jinja", [new("user", "Hello")]);

        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
            text);
    }

    [Fact]
    public void Qwen25_WithTools_ListsThemAsCompactJson()
    {
        var context = new ChatTemplateContext(string.Empty, string.Empty, AddGenerationPrompt: true)
        {
            Variables = new Dictionary<string, object?> { ["tools"] = WeatherTools() },
        };

        string text = TemplateTestData.Load("qwen2.5-instruct.jinja").Render([new("user", "Weather in Paris?")], context);

        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n# Tools\n\n"
            + "You may call one or more functions to assist with the user query.\n\n"
            + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            + "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Get the weather\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}}, \"required\": [\"location\"]}}}\n"
            + "</tools>\n\nFor each function call, return a json object with function name and arguments within "
            + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
            + "</tool_call><|im_end|>\n<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n",
            text);
    }

    [Fact]
    public void SmolLm2_AddsDefaultSystemMessageOnlyWhenMissing()
    {
        string without = TemplateTestData.Render("smollm2-instruct.jinja", [new("user", "Hi")]);
        string with = TemplateTestData.Render("smollm2-instruct.jinja", [new("system", "Be brief."), new("user", "Hi")]);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            without);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", with);
    }

    [Fact]
    public void Llama3_Simplified()
    {
        string text = TemplateTestData.Render("llama-3-simplified.jinja", Full, bos: "<|begin_of_text|>");

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama31_UsesDefaultDateAndTrimsContent()
    {
        string text = TemplateTestData.Render("llama-3.1-8b-instruct.jinja", Full, bos: "<|begin_of_text|>", eos: "<|eot_id|>");

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + "You are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama31_WithTools_PutsIndentedJsonInFirstUserMessage()
    {
        var context = new ChatTemplateContext("<|begin_of_text|>", "<|eot_id|>", AddGenerationPrompt: true)
        {
            Variables = new Dictionary<string, object?> { ["tools"] = WeatherTools() },
        };

        string text = TemplateTestData.Load("llama-3.1-8b-instruct.jinja").Render([new("system", "Be brief."), new("user", "Weather in Paris?")], context);

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\nCutting Knowledge Date: December 2023\n"
            + "Today Date: 26 Jul 2024\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            + "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n"
            + "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n        \"description\": \"Get the weather\",\n"
            + "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n                \"location\": {\n"
            + "                    \"type\": \"string\"\n                }\n            },\n            \"required\": [\n                \"location\"\n"
            + "            ]\n        }\n    }\n}\n\nWeather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama32_TakesTodayFromStrftimeNow()
    {
        var context = new ChatTemplateContext("<|begin_of_text|>", "<|eot_id|>", AddGenerationPrompt: true)
        {
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2024, 9, 5, 14, 3, 9, TimeSpan.Zero)),
        };

        string text = TemplateTestData.Load("llama-3.2-3b-instruct.jinja").Render([new("user", "Hi")], context);

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Sep 2024\n\n"
            + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama32_DateStringVariableWins()
    {
        var context = new ChatTemplateContext(string.Empty, string.Empty, AddGenerationPrompt: false)
        {
            Variables = new Dictionary<string, object?> { ["date_string"] = "01 Jan 2030" },
        };

        string text = TemplateTestData.Load("llama-3.2-3b-instruct.jinja").Render([new("user", "Hi")], context);

        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 01 Jan 2030\n\n"
            + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
            text);
    }

    [Fact]
    public void Phi3Mini_DropsSystemAndOpensAssistantAfterEachUser()
    {
        string text = TemplateTestData.Render("phi-3-mini.jinja", Full, bos: "<s>");

        Assert.Equal(
            "<s><|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n"
            + "<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n",
            text);
    }

    [Fact]
    public void Phi3Medium_SameTurnsWithoutBos()
    {
        string text = TemplateTestData.Render("phi-3-medium.jinja", NoSystem, bos: "<s>");

        Assert.Equal(
            "<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n"
            + "<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n",
            text);
    }

    [Fact]
    public void Phi3Small_EndsWithEosWithoutGenerationPrompt()
    {
        string withPrompt = TemplateTestData.Render("phi-3-small.jinja", Full, bos: "<s>", eos: "<|endoftext|>");
        string withoutPrompt = TemplateTestData.Render("phi-3-small.jinja", [new("user", "Hi")], eos: "<|endoftext|>", addGenerationPrompt: false);

        Assert.Equal(
            "<s><|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n"
            + "<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n",
            withPrompt);
        Assert.Equal("<|user|>\nHi<|end|>\n<|endoftext|>", withoutPrompt);
    }

    [Fact]
    public void Phi3Vision_NoGenerationPromptAfterAssistantTurn()
    {
        string text = TemplateTestData.Render("phi-3-vision.jinja", [new("user", "Hi"), new("assistant", "Hello")]);

        Assert.Equal("<|user|>\nHi<|end|>\n<|assistant|>\nHello<|end|>\n", text);
    }

    [Fact]
    public void Phi35Mini()
    {
        string text = TemplateTestData.Render("phi-3.5-mini-instruct.jinja", Full, eos: "<|endoftext|>");

        Assert.Equal(
            "<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n"
            + "<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n",
            text);
    }

    [Fact]
    public void Phi35Mini_SkipsEmptySystemMessage()
    {
        string text = TemplateTestData.Render("phi-3.5-mini-instruct.jinja", [new("system", string.Empty), new("user", "Hi")], eos: "<|endoftext|>", addGenerationPrompt: false);

        Assert.Equal("<|user|>\nHi<|end|>\n<|endoftext|>", text);
    }

    [Fact]
    public void MistralV02_Legacy()
    {
        string text = TemplateTestData.Render("mistral-7b-instruct-v0.2.jinja", NoSystem, bos: "<s>", eos: "</s>");

        Assert.Equal(
            "<s>[INST] Hello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]",
            text);
    }

    [Fact]
    public void MistralV1_FoldsSystemIntoFirstUserTurn()
    {
        string text = TemplateTestData.Render("mistral-v1-system.jinja", Full, eos: "</s>");

        Assert.Equal(
            " [INST] You are a helpful assistant\n\nHello [/INST] Hi there</s> [INST] Who are you [/INST]    I am an assistant   </s>"
            + " [INST] Another question [/INST]",
            text);
    }

    [Fact]
    public void MistralV3_PutsSystemIntoLastUserTurn()
    {
        string text = TemplateTestData.Render("mistral-large-2407-v3.jinja", Full, eos: "</s>");

        Assert.Equal(
            "[INST] Hello[/INST] Hi there</s>[INST] Who are you[/INST] I am an assistant</s>"
            + "[INST] You are a helpful assistant\n\nAnother question[/INST]",
            text);
    }

    [Fact]
    public void MistralNemo_Tekken()
    {
        string text = TemplateTestData.Render("mistral-nemo-instruct-2407.jinja", Full, bos: "<s>", eos: "</s>");

        Assert.Equal(
            "<s>[INST]Hello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>"
            + "[INST]You are a helpful assistant\n\nAnother question[/INST]",
            text);
    }

    [Fact]
    public void MistralNemo_WithTools_ListsThemBeforeLastUserTurn()
    {
        var context = new ChatTemplateContext("<s>", "</s>", AddGenerationPrompt: true)
        {
            Variables = new Dictionary<string, object?> { ["tools"] = WeatherTools() },
        };

        string text = TemplateTestData.Load("mistral-nemo-instruct-2407.jinja").Render(NoSystem, context);

        Assert.Equal(
            "<s>[INST]Hello[/INST]Hi there</s>[INST]Who are you[/INST]   I am an assistant   </s>"
            + "[AVAILABLE_TOOLS][{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Get the weather\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}}, \"required\": [\"location\"]}}}]"
            + "[/AVAILABLE_TOOLS][INST]Another question[/INST]",
            text);
    }

    [Fact]
    public void Gemma1_MapsAssistantToModelAndTrims()
    {
        string text = TemplateTestData.Render("gemma-7b-it.jinja", NoSystem, bos: "<bos>");

        Assert.Equal(
            "<start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n"
            + "<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n"
            + "<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n",
            text);
    }

    [Fact]
    public void Gemma2_StartsWithBos()
    {
        string text = TemplateTestData.Render("gemma-2-2b-it.jinja", NoSystem, bos: "<bos>", eos: "<eos>");

        Assert.Equal(
            "<bos><start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n"
            + "<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n"
            + "<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n",
            text);
    }

    [Fact]
    public void Gemma2_RejectsSystemRoleWithTheTemplatesMessage()
    {
        ChatTemplateException e = Assert.Throws<ChatTemplateException>(() => TemplateTestData.Render("gemma-2-2b-it.jinja", Full, bos: "<bos>"));

        Assert.Equal(ChatTemplateErrorKind.Raised, e.Kind);
        Assert.Equal("System role not supported", e.Message);
        Assert.Equal(1, e.Line);
        Assert.True(e.Column > 1);
    }

    [Fact]
    public void Llama2_WrapsSystemInSysTags()
    {
        string text = TemplateTestData.Render("llama-2-chat.jinja", Full, bos: "<s>", eos: "</s>");

        Assert.Equal(
            "<s>[INST] <<SYS>>\nYou are a helpful assistant\n<</SYS>>\n\nHello [/INST] Hi there </s>"
            + "<s>[INST] Who are you [/INST] I am an assistant </s><s>[INST] Another question [/INST]",
            text);
    }

    [Fact]
    public void Zephyr_MultiLineTemplateUsesTrimBlocks()
    {
        string text = TemplateTestData.Render("zephyr.jinja", Full, bos: "<s>", eos: "</s>");

        Assert.Equal(
            "<|system|>\nYou are a helpful assistant</s>\n<|user|>\nHello</s>\n<|assistant|>\nHi there</s>\n"
            + "<|user|>\nWho are you</s>\n<|assistant|>\n   I am an assistant   </s>\n<|user|>\nAnother question</s>\n<|assistant|>\n",
            text);
    }

    [Fact]
    public void DeepSeekCoder_WhitespaceControlAcrossLines()
    {
        string text = TemplateTestData.Render("deepseek-coder-33b-instruct.jinja", Full);

        Assert.Equal(
            "You are a helpful assistant### Instruction:\nHello\n### Response:\nHi there\n<|EOT|>\n### Instruction:\nWho are you\n"
            + "### Response:\n   I am an assistant   \n<|EOT|>\n### Instruction:\nAnother question\n### Response:\n",
            text);
    }

    [Fact]
    public void Granite30_ToolsAsIndentedJson()
    {
        var context = new ChatTemplateContext(string.Empty, string.Empty, AddGenerationPrompt: true)
        {
            Variables = new Dictionary<string, object?> { ["tools"] = JsonDocument.Parse("[{\"name\": \"f\", \"args\": [1, 2.5, true, null]}]").RootElement },
        };

        string text = TemplateTestData.Load("granite-3.0-8b-instruct.jinja").Render([new("user", "Hi")], context);

        Assert.Equal(
            "<|start_of_role|>available_tools<|end_of_role|>\n{\n    \"name\": \"f\",\n    \"args\": [\n        1,\n        2.5,\n"
            + "        true,\n        null\n    ]\n}<|end_of_text|>\n<|start_of_role|>user<|end_of_role|>Hi<|end_of_text|>\n"
            + "<|start_of_role|>assistant<|end_of_role|>",
            text);
    }

    [Fact]
    public void EveryDataTemplateParses()
    {
        string dir = Path.GetDirectoryName(Path.Combine(Infrastructure.TestPaths.RepoRoot, "tests", "Switchyard.Local.Tests", "Templates", "Data", "x"))!;
        string[] files = Directory.GetFiles(dir, "*.jinja");

        Assert.True(files.Length >= 20, $"expected the template files in {dir}");
        foreach (string file in files)
        {
            ChatTemplate template = ChatTemplate.Parse(File.ReadAllText(file));
            Assert.NotNull(template);
        }
    }

    private static JsonElement WeatherTools() => JsonDocument.Parse(
        "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Get the weather\", "
        + "\"parameters\": {\"type\": \"object\", \"properties\": {\"location\": {\"type\": \"string\"}}, \"required\": [\"location\"]}}}]").RootElement;
}
