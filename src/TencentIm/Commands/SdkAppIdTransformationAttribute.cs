using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace TencentIm.Commands;

/// <summary>
/// Binds an SDKAppID (a uint, or each element of a uint[]) from a number or a string of digits, and refuses anything
/// else without repeating it. PowerShell's own conversion error ("Cannot convert value '…' to type System.UInt32")
/// quotes the value, and the value in an SDKAppID's place is most often the secret key given positionally
/// (Connect-TencentIm $key binds it to -SdkAppId, position 0); that error stays in $Error and transcripts.
/// The parameter stays typed uint, so Get-Help and tab completion show what it takes.
/// </summary>
/// <remarks>Compiled into TencentIm and TencentIm.Emulator.Commands (linked source), for their -SdkAppId parameters.</remarks>
internal sealed class SdkAppIdTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is IList list && !(value is string))
        {
            var ids = new List<uint>(list.Count);
            foreach (object? item in list)
            {
                ids.Add(ToSdkAppId(item is PSObject p ? p.BaseObject : item));
            }

            return ids.ToArray();
        }

        return ToSdkAppId(value);
    }

    private static uint ToSdkAppId(object? value)
    {
        switch (value)
        {
            // 0 is converted, not refused: the parameter's ValidateRange names the range as for any number.
            case uint id:
                return id;
            case string text when uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint parsed):
                return parsed;
            case byte _:
            case sbyte _:
            case short _:
            case ushort _:
            case int _:
            case long _:
            case ulong _:
            case decimal _:
            case double _:
            case float _:
                decimal number;
                try
                {
                    number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                }
                catch (OverflowException)
                {
                    break;
                }

                if (number >= 0 && number <= uint.MaxValue && decimal.Truncate(number) == number)
                {
                    return (uint)number;
                }

                break;
        }

        string length = value is string s ? $"a text {s.Length} characters long" : value == null ? "nothing" : $"a {value.GetType().Name}";
        throw new ArgumentTransformationMetadataException(
            $"The value given, {length}, is not an SDKAppID: a whole number from 1 to {uint.MaxValue}, as the IM console shows it (such as 1400000001). The value is not shown, in case it is a secret (the secret key given in the SDKAppID's place).");
    }
}
