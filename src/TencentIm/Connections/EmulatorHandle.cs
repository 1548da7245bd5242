using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace TencentIm.Connections;

/// <summary>
/// Reads what Connect-TencentIm -Emulator needs from the handle Start-TencentImEmulator (the TencentIm.Emulator
/// module) returned: Endpoint, SdkAppId, Identifier and SecretKey, by property name, so that this module never
/// references the emulator module's types (either can be installed and loaded without the other).
/// </summary>
internal static class EmulatorHandle
{
    /// <summary>Fills the request's SDKAppID, key, endpoint and (unless -Identifier was given) identifier from the handle.</summary>
    /// <exception cref="ConnectionSettingsException">NotAnEmulator (a property is missing or of the wrong type), EmulatorStopped, or -Emulator with settings it replaces.</exception>
    public static void Apply(object handle, ConnectionRequest request)
    {
        if (request.SdkAppId != null || request.SecretKey != null || request.Credential != null || request.UserSig != null || request.Endpoint != null || request.Region != null)
        {
            throw new ConnectionSettingsException("EmulatorWithSettings",
                "-Emulator gives the SDKAppID, key and endpoint: pass it without -SdkAppId, -SecretKey, -Credential, -UserSig, -Endpoint or -Region.", null);
        }

        PSObject emulator = PSObject.AsPSObject(handle);
        if (emulator.BaseObject is System.Collections.ICollection several && !(several is System.Collections.IDictionary))
        {
            throw new ConnectionSettingsException("SeveralEmulators",
                $"-Emulator was given {several.Count} objects; Connect-TencentIm connects to one emulator at a time. Pass one handle, such as $emulators[0], and connect again to switch.", null);
        }

        var endpoint = (Uri)Read(emulator, "Endpoint", value => value as Uri ?? (Uri.TryCreate(value as string, UriKind.Absolute, out Uri? uri) ? uri : null));
        var sdkAppId = (uint)Read(emulator, "SdkAppId", value =>
        {
            try
            {
                return value is null ? null : (object)Convert.ToUInt32(value, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException || e is InvalidCastException || e is OverflowException)
            {
                return null;
            }
        });
        var identifier = (string)Read(emulator, "Identifier", value => value as string);
        var key = (SecureString)Read(emulator, "SecretKey", value => value as SecureString);
        try
        {
            _ = key.Length;
        }
        catch (ObjectDisposedException)
        {
            throw new ConnectionSettingsException("EmulatorKeyDisposed",
                "The emulator handle's SecretKey has been disposed ($emu.SecretKey.Dispose()), so there is no key to sign with. Start a new emulator with Start-TencentImEmulator and connect to that.", handle, ErrorCategory.InvalidOperation);
        }

        if (emulator.Properties["HasExited"]?.Value is true)
        {
            throw new ConnectionSettingsException("EmulatorStopped",
                $"The emulator at {endpoint} has stopped. Start a new one with Start-TencentImEmulator and connect to that.", handle, ErrorCategory.InvalidOperation);
        }

        request.SdkAppId = sdkAppId;
        request.SecretKey = key;
        request.Endpoint = endpoint;
        request.Identifier ??= identifier;
    }

    private static object Read(PSObject emulator, string name, Func<object?, object?> convert)
    {
        PSPropertyInfo? property = emulator.Properties[name];
        object? value = property?.Value;
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        object? converted = property is null ? null : convert(value);
        if (converted is null)
        {
            throw new ConnectionSettingsException("NotAnEmulator",
                $"-Emulator takes what Start-TencentImEmulator returns (Import-Module TencentIm.Emulator), but the object given has no usable {name} property. "
                + "Pass the emulator's handle: $emu = Start-TencentImEmulator; Connect-TencentIm -Emulator $emu.", null);
        }

        return converted;
    }
}
