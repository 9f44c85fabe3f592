using System.Globalization;

namespace Switchyard.Economics;

/// <summary>Invariant-culture formatting of the figures quoted in reasons and error messages.</summary>
internal static class Figures
{
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>$1,234</c> from 100 up, <c>$12.34</c> from 1, three significant digits below.</summary>
    public static string Money(decimal value)
    {
        var magnitude = Math.Abs(value);
        var sign = value < 0 ? "-" : string.Empty;
        if (magnitude >= 100m)
        {
            return sign + "$" + magnitude.ToString("N0", CultureInfo.InvariantCulture);
        }

        if (magnitude >= 1m)
        {
            return sign + "$" + magnitude.ToString("N2", CultureInfo.InvariantCulture);
        }

        return sign + "$" + ((double)magnitude).ToString("G3", CultureInfo.InvariantCulture);
    }

    /// <summary><c>2.1 M</c> from a million up, <c>12,000</c> below.</summary>
    public static string Count(double value)
    {
        if (value >= 1e9)
        {
            return (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " B";
        }

        if (value >= 1e6)
        {
            return (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M";
        }

        return value.ToString(value >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);
    }

    /// <summary><c>64%</c>; one decimal below 10%.</summary>
    public static string Percent(double share)
    {
        var percent = share * 100;
        return percent.ToString(Math.Abs(percent) < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary><c>1 replica</c>, <c>3 replicas</c>.</summary>
    public static string Plural(long count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
