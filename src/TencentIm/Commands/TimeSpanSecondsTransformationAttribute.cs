using System;
using System.Management.Automation;

namespace TencentIm.Commands;

/// <summary>
/// Reads a number given to a TimeSpan parameter as seconds, as the service counts a UserSig's lifetime;
/// PowerShell alone would read it as ticks (100 ns). TimeSpans and strings such as '7.00:00:00' pass unchanged.
/// </summary>
internal sealed class TimeSpanSecondsTransformationAttribute : ArgumentTransformationAttribute
{
    // Out of TimeSpan's range: passed on as it is, for -Lifetime's own range check to name.
    private static object Seconds(double seconds) =>
        Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : (object)TimeSpan.MaxValue;

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        switch (value)
        {
            case string text when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double fromText):
                return Seconds(fromText);
            case IConvertible number when !(value is string) && !(value is bool) && !(value is char) && !(value is DateTime):
                return Seconds(number.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
            default:
                return inputData;
        }
    }
}
