using System.Text;

namespace Switchyard.Evaluation.Tasks;

/// <summary>Text helpers shared by graders.</summary>
internal static class GraderText
{
    /// <summary>The text in single quotes on one line, cut to <paramref name="max"/> characters, for explanations.</summary>
    public static string Quote(string text, int max = 60)
    {
        var flat = CollapseWhitespace(text.Trim());
        return "'" + (flat.Length <= max ? flat : flat[..(max - 1)] + "…") + "'";
    }

    /// <summary>Every run of whitespace replaced by one space.</summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                builder.Append(c);
                inSpace = false;
            }
        }

        return builder.ToString();
    }
}
