namespace TencentIm.Client;

/// <summary>
/// The data centre an IM app lives in. An SDKAppID lives in exactly one; calling another answers error 60026.
/// </summary>
public enum TencentImRegion
{
    /// <summary>Chinese mainland: console.tim.qq.com.</summary>
    China,

    /// <summary>Singapore: adminapisgp.im.qcloud.com.</summary>
    Singapore,

    /// <summary>Seoul: adminapikr.im.qcloud.com.</summary>
    Seoul,

    /// <summary>Frankfurt: adminapiger.im.qcloud.com.</summary>
    Frankfurt,

    /// <summary>Silicon Valley: adminapiusa.im.qcloud.com.</summary>
    SiliconValley,

    /// <summary>Jakarta: adminapiidn.im.qcloud.com.</summary>
    Jakarta,
}
