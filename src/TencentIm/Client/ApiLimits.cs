namespace TencentIm.Client
{
    /// <summary>The documented frequency limits, calls per second per app (fact sheet §3).</summary>
    internal static class ApiLimits
    {
        /// <summary>For an API the fact sheet does not list: the lowest limit it gives any account API.</summary>
        public const int Default = 100;

        public static int CallsPerSecond(string api) => api switch
        {
            "im_open_login_svc/account_check" => 100,
            "im_open_login_svc/account_import" => 200,
            "im_open_login_svc/multiaccount_import" => 100,
            "im_open_login_svc/account_delete" => 100,
            "im_open_login_svc/kick" => 200,
            "openim/query_online_status" => 200,
            _ => Default,
        };
    }
}
