using System.Management.Automation;

namespace TencentIm.Commands;

/// <summary>
/// Lets a SecureString parameter also take plain text (a UserSig read from a file or a pipeline variable), and
/// turns it into a SecureString at once so that the cmdlet never keeps the text.
/// </summary>
internal sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value is string text ? SecureStrings.FromText(text) : inputData;
    }
}
