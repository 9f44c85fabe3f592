using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Finds the final number of a text: the first number after the last <c>####</c> (GSM8K's answer marker) when there is
/// one, else the last number. Understands thousands separators (<c>1,234</c>), a dollar sign, a minus sign
/// (ASCII or U+2212, not when it joins two words or numbers as in <c>3-4</c>) and decimals (<c>.5</c>, <c>2.50</c>).
/// </summary>
internal static class NumberExtractor
{
    private static readonly Regex Number = new(
        @"(?<![\w.])(?<sign>[-−])?\$?(?:(?<![\w.])(?<sign2>[-−]))?(?<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        TimeSpan.FromSeconds(1));

    /// <summary>The final number of <paramref name="text"/>, or null when it has none.</summary>
    public static double? Final(string text)
    {
        var marker = text.LastIndexOf("####", StringComparison.Ordinal);
        if (marker >= 0 && Number.Match(text, marker + 4) is { Success: true } afterMarker)
        {
            return Parse(afterMarker);
        }

        Match? last = null;
        for (var m = Number.Match(text); m.Success; m = m.NextMatch())
        {
            last = m;
        }

        return last is null ? null : Parse(last);
    }

    private static double Parse(Match match)
    {
        var digits = match.Groups["digits"].Value.Replace(",", "", StringComparison.Ordinal);
        var value = double.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return match.Groups["sign"].Success || match.Groups["sign2"].Success ? -value : value;
    }
}
