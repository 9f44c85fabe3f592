namespace Switchyard.Privacy.Scanning;

/// <summary>Reads a text with its line breaks removed, so a value someone broke over two lines reads as one.</summary>
internal static class LineBreaks
{
    /// <summary>The view without <c>\r</c> and <c>\n</c>.</summary>
    public static TextView Remove(TextView view)
    {
        string text = view.Text;
        var builder = new ViewBuilder(view, text.Length);
        int copied = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '\r' or '\n')
            {
                builder.Copy(copied, i);
                copied = i + 1;
            }
        }

        builder.Copy(copied, text.Length);
        return builder.Build();
    }
}
