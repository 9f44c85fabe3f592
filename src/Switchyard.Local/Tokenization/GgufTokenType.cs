namespace Switchyard.Local.Tokenization;

/// <summary>The values of <c>tokenizer.ggml.token_type</c>.</summary>
internal static class GgufTokenType
{
    public const int Undefined = 0;
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;
    public const int UserDefined = 4;
    public const int Unused = 5;
    public const int Byte = 6;

    /// <summary>The attributes llama.cpp starts a token with, given its type.</summary>
    public static TokenAttributes ToAttributes(int type) => type switch
    {
        Normal => TokenAttributes.Normal,
        Unknown => TokenAttributes.Unknown,
        Control => TokenAttributes.Control,
        UserDefined => TokenAttributes.UserDefined,
        Unused => TokenAttributes.Unused,
        Byte => TokenAttributes.Byte,
        _ => TokenAttributes.None,
    };
}
