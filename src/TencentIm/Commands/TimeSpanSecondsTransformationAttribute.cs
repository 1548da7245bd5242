using System;
using System.Management.Automation;

namespace TencentIm.Commands
{
    /// <summary>
    /// Reads a number given to a TimeSpan parameter as seconds, as the service counts a UserSig's lifetime;
    /// PowerShell alone would read it as ticks (100 ns). TimeSpans and strings such as '7.00:00:00' pass unchanged.
    /// </summary>
    internal sealed class TimeSpanSecondsTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            return value switch
            {
                int seconds => TimeSpan.FromSeconds(seconds),
                long seconds => TimeSpan.FromSeconds(seconds),
                double seconds => TimeSpan.FromSeconds(seconds),
                _ => inputData,
            };
        }
    }
}
