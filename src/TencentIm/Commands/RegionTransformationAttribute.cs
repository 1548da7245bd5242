using System.Management.Automation;
using TencentIm.Client;

namespace TencentIm.Commands;

/// <summary>
/// Takes exactly one region for -Region. PowerShell's own conversion would OR a list such as 'Singapore,Seoul'
/// into a third region (Frankfurt) or accept a number, and send the connection to the wrong data centre.
/// </summary>
internal sealed class RegionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is TencentImRegion region && System.Enum.IsDefined(typeof(TencentImRegion), region))
        {
            return region;
        }

        if (value is string text && ServiceEndpoints.TryParseRegion(text, out region))
        {
            return region;
        }

        throw new ArgumentTransformationMetadataException(
            $"'{value}' is not one region. Use one of: {ServiceEndpoints.RegionNames}.");
    }
}
