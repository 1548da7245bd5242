using System;
using System.Globalization;

namespace TencentIm.Engine;

/// <summary>A duration in words for messages: "8 seconds", "12 minutes", "3 hours", "2 days".</summary>
internal static class Durations
{
    /// <summary>
    /// The length of <paramref name="span"/> (its sign ignored) in the unit that fits, rounded to the nearest whole
    /// unit. A unit is used from two of it up (119 seconds, then 2 minutes), so a rounded figure is never more than
    /// a quarter off; "in 0 minutes" cannot happen.
    /// </summary>
    public static string Describe(TimeSpan span)
    {
        double seconds = Math.Abs(span.TotalSeconds);
        if (seconds < 0.5)
        {
            return "less than a second";
        }

        if (seconds < 119.5)
        {
            return Count(seconds, "second");
        }

        double minutes = seconds / 60;
        if (minutes < 119.5)
        {
            return Count(minutes, "minute");
        }

        double hours = minutes / 60;
        return hours < 47.5 ? Count(hours, "hour") : Count(hours / 24, "day");
    }

    private static string Count(double value, string unit)
    {
        long n = (long)Math.Round(value, MidpointRounding.AwayFromZero);
        return n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");
    }
}
