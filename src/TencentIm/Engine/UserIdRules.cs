using System.Management.Automation;
using System.Text;

namespace TencentIm.Engine
{
    /// <summary>
    /// What the module checks of a UserID before sending it. Sources disagree on the allowed characters (fact sheet
    /// §3: the signers say letters, digits, '_' and '-'; a client-error page says printable ASCII), so only the
    /// length rule they agree on is enforced here, and the service judges characters.
    /// </summary>
    internal static class UserIdRules
    {
        /// <summary>The service's limit on a UserID, in UTF-8 bytes.</summary>
        public const int MaxUtf8Bytes = 32;

        /// <summary>
        /// A failure for a UserID that must not be sent, or null when it may. The message says what is wrong, not what
        /// became of it: each caller adds that (<see cref="CheckFailure.WithConsequence"/>).
        /// </summary>
        public static CheckFailure? Validate(string userId)
        {
            if (userId.Length == 0)
            {
                return new CheckFailure(userId, "EmptyUserId", ErrorCategory.InvalidArgument,
                    "A UserID is empty. Remove empty values from the input; every UserID has 1 to 32 bytes.");
            }

            // Cheap check first: a UTF-8 character is at most 3 bytes per UTF-16 unit.
            if (userId.Length * 3 > MaxUtf8Bytes)
            {
                int bytes = Encoding.UTF8.GetByteCount(userId);
                if (bytes > MaxUtf8Bytes)
                {
                    return new CheckFailure(userId, "UserIdTooLong", ErrorCategory.InvalidArgument,
                        $"The UserID '{Shorten(userId)}' is {bytes} bytes long in UTF-8; the service allows at most {MaxUtf8Bytes}.");
                }
            }

            return null;
        }

        private static string Shorten(string userId) => userId.Length <= 64 ? userId : userId.Substring(0, 61) + "...";
    }
}
