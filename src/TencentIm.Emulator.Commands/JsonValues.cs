using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace TencentIm.Emulator.Commands;

/// <summary>JSON as PowerShell objects, the way ConvertFrom-Json gives them: objects as PSCustomObject, arrays as object[].</summary>
internal static class JsonValues
{
    public static object? ToPowerShell(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    result.Properties.Add(new PSNoteProperty(property.Name, ToPowerShell(property.Value)));
                }

                return result;
            case JsonValueKind.Array:
                var items = new object?[element.GetArrayLength()];
                int i = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    items[i++] = ToPowerShell(item);
                }

                return items;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long whole))
                {
                    return whole;
                }

                return element.TryGetDecimal(out decimal exact) ? exact : double.Parse(element.GetRawText(), CultureInfo.InvariantCulture);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
