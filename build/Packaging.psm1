# What build.ps1 package and the package tests share: the modules to package and their allow-listed files
# (build/ModulePackages.psd1), the version (Directory.Build.props, its one source), the release notes (CHANGELOG.md),
# and what a .nupkg holds. Windows PowerShell 5.1 syntax, so that the CI job on powershell.exe can use it too.

Set-StrictMode -Version Latest
$script:Root = Split-Path $PSScriptRoot -Parent

function Get-ModulePackage {
    <#
    .SYNOPSIS
    The modules to package: objects with Name and Files (the exact files of its folder, '/' between folders).
    #>
    foreach ($module in (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ModulePackages.psd1')).Modules) {
        [pscustomobject]@{ Name = $module.Name; Files = [string[]]$module.Files }
    }
}

function Get-ModuleVersionInfo {
    <#
    .SYNOPSIS
    The version from Directory.Build.props: Version (VersionPrefix, three parts), Prerelease (VersionSuffix, or '')
    and Full ('0.1.0' or '0.1.0-preview1', as the package file is named).
    .DESCRIPTION
    The PowerShell Gallery takes SemVer 1.0 prerelease labels only: letters and digits, after a three-part version
    (https://learn.microsoft.com/powershell/gallery/concepts/module-prerelease-support); anything else fails here
    rather than at publish time.
    #>
    $props = [xml](Get-Content (Join-Path $script:Root 'Directory.Build.props') -Raw)
    $prefix = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('VersionPrefix') } | Where-Object { $_ } | ForEach-Object { $_.InnerText.Trim() })
    $suffix = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('VersionSuffix') } | Where-Object { $_ } | ForEach-Object { $_.InnerText.Trim() })
    if ($prefix.Count -ne 1 -or $prefix[0] -notmatch '^\d+\.\d+\.\d+$') {
        throw "Directory.Build.props must set VersionPrefix once, as three numbers such as 1.2.3; it has '$($prefix -join "', '")'."
    }
    $prerelease = if ($suffix.Count -gt 0) { $suffix[0] } else { '' }
    if ($prerelease -and $prerelease -notmatch '^[A-Za-z0-9]+$') {
        throw "Directory.Build.props' VersionSuffix '$prerelease' is not a prerelease label the PowerShell Gallery takes: use letters and digits only, such as preview1 or rc2."
    }
    [pscustomobject]@{
        Version    = $prefix[0]
        Prerelease = $prerelease
        Full       = if ($prerelease) { "$($prefix[0])-$prerelease" } else { $prefix[0] }
    }
}

function Get-ReleaseNotes {
    <#
    .SYNOPSIS
    This version's section of CHANGELOG.md ('## [0.1.0] ...'), or the '## [Unreleased]' section when the version has
    none yet, without its heading; throws when there is neither.
    #>
    param([Parameter(Mandatory)] [string] $Version)
    $text = Get-Content (Join-Path $script:Root 'CHANGELOG.md') -Raw
    foreach ($heading in $Version, 'Unreleased') {
        $match = [regex]::Match($text, "(?ms)^## \[$([regex]::Escape($heading))\][^\r\n]*\r?\n(.*?)(?=^## |\z)")
        if ($match.Success -and $match.Groups[1].Value.Trim()) { return $match.Groups[1].Value.Trim() }
    }
    throw "CHANGELOG.md has no section '## [$Version]' or '## [Unreleased]' with entries. Add this release's changes there (RELEASING.md)."
}

function Get-PackageFile {
    <#
    .SYNOPSIS
    The module files in a .nupkg, as paths relative to the module folder ('/' between folders), without what NuGet
    itself adds: the .nuspec, [Content_Types].xml, _rels/ and package/services/metadata/.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Name)
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
    try {
        foreach ($entry in $zip.Entries) {
            $file = [uri]::UnescapeDataString($entry.FullName)
            if ($file -eq "$Name.nuspec" -or $file -eq '[Content_Types].xml' -or $file -like '_rels/*' -or $file -like 'package/services/metadata/*') { continue }
            $file
        }
    }
    finally {
        $zip.Dispose()
    }
}

function Get-FolderFile {
    <# .SYNOPSIS
    The files below a folder, as paths relative to it ('/' between folders). #>
    param([Parameter(Mandatory)] [string] $Path)
    $full = (Resolve-Path $Path).Path.TrimEnd('\', '/')
    foreach ($file in Get-ChildItem $full -Recurse -File -Force) {
        $file.FullName.Substring($full.Length + 1).Replace('\', '/')
    }
}

function Compare-AllowList {
    <#
    .SYNOPSIS
    The differences between the files found and the allow-list: one line per file, 'unexpected: x' or 'missing: y';
    nothing when they are the same.
    #>
    param([string[]] $Found = @(), [Parameter(Mandatory)] [string[]] $Allowed)
    foreach ($d in Compare-Object @($Found | Sort-Object) @($Allowed | Sort-Object) -CaseSensitive) {
        if ($d.SideIndicator -eq '<=') { "unexpected: $($d.InputObject)" } else { "missing: $($d.InputObject)" }
    }
}

Export-ModuleMember -Function Get-ModulePackage, Get-ModuleVersionInfo, Get-ReleaseNotes, Get-PackageFile, Get-FolderFile, Compare-AllowList
