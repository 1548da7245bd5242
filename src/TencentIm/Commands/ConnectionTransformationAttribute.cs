using System.Management.Automation;
using TencentIm.Connections;

namespace TencentIm.Commands;

/// <summary>
/// Explains a connection that crossed into another process. Start-Job, Invoke-Command and remoting serialize
/// -Connection $using:c into a property bag ("Deserialized.TencentIm.Connections.TencentImConnection"), which has
/// no key and no HTTP client: it cannot be made usable there, and PowerShell's own conversion error does not say
/// why. Thread jobs and ForEach-Object -Parallel share this process and pass the live connection unchanged.
/// </summary>
internal sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
{
    private const string DeserializedTypeName = "Deserialized." + nameof(TencentIm) + "." + nameof(Connections) + "." + nameof(TencentImConnection);

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        if (inputData is PSObject pso && !(pso.BaseObject is TencentImConnection) && pso.TypeNames.Contains(DeserializedTypeName))
        {
            throw new ArgumentTransformationMetadataException(
                "A Tencent IM connection cannot cross into another process (Start-Job, Invoke-Command, a remote session): it holds its secret key in the memory of the process that connected, and only a copy without the key arrived here. " +
                "Connect inside the job instead, for example with Connect-TencentIm and no parameters, which reads the TENCENTIM_* environment variables (a job started with Start-Job inherits them). " +
                "Start-ThreadJob and ForEach-Object -Parallel run in this process and can take -Connection $using:connection.");
        }

        return inputData;
    }
}
