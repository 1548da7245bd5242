<#
.SYNOPSIS
Writes the MAML help of the TencentIm cmdlets (TencentIm.dll-Help.xml) from the assembly and its XML doc comments.

.DESCRIPTION
Why this way: the cmdlet classes already carry their help as C# doc comments (synopsis, description, examples and
one description per parameter, in the XmlDoc2CmdletDoc convention), and the compiler already demands a doc comment
on every public member (CS1591 is an error in TencentIm.csproj). So the doc comments are the one source of truth:
help cannot drift from a second copy in markdown, and writing help means editing the code it describes. This script
is the only tool: plain PowerShell, no module or package to install (XmlDoc2CmdletDoc and platyPS are not available
here, and platyPS would add a markdown copy to keep in step). Reflection (System.Management.Automation's own
CommandMetadata) gives the parameter facts, parameter sets, positions, pipeline input, aliases, types, and the
defaults of a freshly made cmdlet object; TencentIm.xml gives the words.

It is also the help gate: it throws, naming every cmdlet and parameter at fault, when a cmdlet has no synopsis,
no description or fewer than two examples, an example has no code, a parameter has no description, or an optional
parameter's default would show a time or an unset zero instead of what happens (below).

Doc comment convention, on each public cmdlet class:
  /// <summary>
  /// <para type="synopsis">One line.</para>
  /// <para type="description">One or more paragraphs.</para>
  /// </summary>
  /// <remarks>Optional notes (maml:alertSet).</remarks>
  /// <example><code>Some-Command -Param x</code><para>What it does.</para></example>   (two or more)
and on each parameter property:
  /// <summary><para type="description">What it is.</para></summary>
and, on one that is not mandatory, where its initializer cannot say it:
  /// <para type="default">what happens when it is not given</para>   (inside the <summary>)
The default shown for a parameter that is not mandatory says what happens when it is not given. It is, first, the
<para type="default"> words (also added to the description as "Default: ..."); else a "Default: ..." sentence of the
description (up to its full stop or semicolon); else the property initializer's value, which must mean what it says:
a date, time or TimeSpan (often computed when the help is built, and never what "not given" means at run time) and
the zero of a value type (an unset parameter, whatever the cmdlet then does) are refused, naming the parameter, so
that they get words instead.
The output types come from [OutputType]; their description is the output class's own <summary>.

.PARAMETER AssemblyPath
The built TencentIm.dll. It is loaded into this session with Assembly.LoadFrom: give the module folder's copy
(out/TencentIm/TencentIm.dll) when this session imports the module later, so that both are one assembly.

.PARAMETER DocumentationPath
The doc comment file (GenerateDocumentationFile). Default: TencentIm.xml next to -AssemblyPath.

.PARAMETER OutputPath
The culture folder to write TencentIm.dll-Help.xml into, such as out/TencentIm/en-US. Created if missing.

.EXAMPLE
./build/help/New-MamlHelp.ps1 -AssemblyPath out/TencentIm/TencentIm.dll -DocumentationPath src/TencentIm/bin/Release/netstandard2.0/TencentIm.xml -OutputPath out/TencentIm/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $AssemblyPath,

    [string] $DocumentationPath,

    [Parameter(Mandatory)]
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$AssemblyPath = (Resolve-Path -LiteralPath $AssemblyPath).ProviderPath
$docPath = if ($DocumentationPath) { $DocumentationPath } else { [System.IO.Path]::ChangeExtension($AssemblyPath, '.xml') }
if (-not (Test-Path -LiteralPath $docPath)) {
    throw "No doc comment file '$docPath' next to the assembly: build with GenerateDocumentationFile."
}
$docs = @{}
foreach ($member in ([xml](Get-Content -LiteralPath $docPath -Raw)).doc.members.member) { $docs[$member.name] = $member }

#region Doc comment text

# The text of a doc comment node: whitespace collapsed, <see cref/langword>, <paramref>, <c> turned into plain text.
function Get-NodeText($Node) {
    if ($null -eq $Node) { return '' }
    $text = [System.Text.StringBuilder]::new()
    foreach ($child in $Node.ChildNodes) {
        switch ($child.NodeType) {
            'Text' { [void]$text.Append($child.Value) }
            'CDATA' { [void]$text.Append($child.Value) }
            'Whitespace' { [void]$text.Append(' ') }
            'SignificantWhitespace' { [void]$text.Append(' ') }
            'Element' {
                $name = $child.LocalName
                if ($name -in 'see', 'seealso' -and $child.HasAttribute('cref')) {
                    [void]$text.Append(($child.GetAttribute('cref') -replace '^\w:', '' -replace '\(.*$', '' -split '\.')[-1])
                }
                elseif ($name -eq 'see' -and $child.HasAttribute('langword')) { [void]$text.Append($child.GetAttribute('langword')) }
                elseif ($name -in 'paramref', 'typeparamref') { [void]$text.Append($child.GetAttribute('name')) }
                else { [void]$text.Append((Get-NodeText $child)) }
            }
        }
    }
    ($text.ToString() -replace '\s+', ' ').Trim()
}

# The paragraphs of <para type="$Type"> under a node.
function Get-TypedPara($Node, [string] $Type) {
    if ($null -eq $Node) { return @() }
    @($Node.SelectNodes("para[@type='$Type']") | ForEach-Object { Get-NodeText $_ } | Where-Object { $_ })
}

# Example code: the lines as written, without the indentation that the /// comment added.
function Get-CodeText($Node) {
    $lines = @(($Node.InnerText -replace "`r", '') -split "`n")
    while ($lines.Count -and -not $lines[0].Trim()) { $lines = @($lines | Select-Object -Skip 1) }
    while ($lines.Count -and -not $lines[-1].Trim()) { $lines = @($lines | Select-Object -SkipLast 1) }
    $indents = @($lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length })
    $indent = if ($indents.Count) { ($indents | Measure-Object -Minimum).Minimum } else { 0 }
    ($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent).TrimEnd() } else { $_.Trim() } }) -join "`n"
}

function Get-TypeSummary([type] $Type) {
    $member = $docs["T:$($Type.FullName -replace '\+', '.')"]
    if ($null -eq $member) { return '' }
    $summary = $member['summary']
    $paras = @($summary.SelectNodes('para') | ForEach-Object { Get-NodeText $_ } | Where-Object { $_ })
    if ($paras.Count) { $paras -join ' ' } else { Get-NodeText $summary }
}

#endregion

#region Reflection

$assembly = [System.Reflection.Assembly]::LoadFrom($AssemblyPath)
try {
    $types = $assembly.GetTypes()
}
catch [System.Reflection.ReflectionTypeLoadException] {
    $types = @($_.Exception.Types | Where-Object { $_ })
}
$cmdletTypes = @($types | Where-Object {
        $_.IsPublic -and -not $_.IsAbstract -and $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and
        $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).Count
    } | ForEach-Object {
        $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        [pscustomobject]@{ Type = $_; Verb = $attribute.VerbName; Noun = $attribute.NounName; Name = "$($attribute.VerbName)-$($attribute.NounName)" }
    } | Sort-Object Name)
if (-not $cmdletTypes) { throw "No cmdlet in '$AssemblyPath'." }

$shouldProcessHelp = [ordered]@{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

# One cmdlet's help, as data; $problems collects what the doc comments lack.
function Get-CmdletHelp($Cmdlet, [System.Collections.Generic.List[string]] $Problems) {
    $type = $Cmdlet.Type
    $name = $Cmdlet.Name
    $typeDoc = $docs["T:$($type.FullName)"]
    $summary = if ($typeDoc) { $typeDoc['summary'] } else { $null }

    $synopsis = @(Get-TypedPara $summary 'synopsis') -join ' '
    $description = @(Get-TypedPara $summary 'description')
    if (-not $synopsis) { $Problems.Add("${name}: no <para type=""synopsis""> in the class <summary> of $($type.FullName).") }
    if (-not $description) { $Problems.Add("${name}: no <para type=""description""> in the class <summary> of $($type.FullName).") }

    $examples = [System.Collections.Generic.List[object]]::new()
    if ($typeDoc) {
        foreach ($example in $typeDoc.SelectNodes('example')) {
            $code = $example['code']
            if ($null -eq $code -or -not (Get-CodeText $code)) {
                $Problems.Add("${name}: example $($examples.Count + 1) has no <code>.")
                continue
            }
            $examples.Add([pscustomobject]@{
                    Code    = Get-CodeText $code
                    Remarks = @($example.SelectNodes('para') | ForEach-Object { Get-NodeText $_ } | Where-Object { $_ })
                })
        }
    }
    if ($examples.Count -lt 2) { $Problems.Add("${name}: $($examples.Count) example(s) with code; at least 2 are needed (<example><code>...</code><para>...</para></example>).") }
    $notes = if ($typeDoc -and $typeDoc['remarks']) {
        $paras = @($typeDoc['remarks'].SelectNodes('para') | ForEach-Object { Get-NodeText $_ } | Where-Object { $_ })
        if ($paras.Count) { $paras } else { @(Get-NodeText $typeDoc['remarks']) }
    }
    else { @() }

    # The defaults of a fresh cmdlet object are the property initializers, where no words are given.
    $instance = $null
    try { $instance = [Activator]::CreateInstance($type) } catch { Write-Verbose "${name}: no defaults, cannot create: $_" }

    $metadata = [System.Management.Automation.CommandMetadata]::new($type)
    $parameters = [System.Collections.Generic.List[object]]::new()
    foreach ($p in $metadata.Parameters.Values) {
        $property = $type.GetProperty($p.Name)
        $declaring = if ($property) { $property.DeclaringType } else { $type }
        $memberName = "P:$($declaring.FullName -replace '\+', '.').$($p.Name)"
        $member = $docs[$memberName]
        $text = if ($member) { @(Get-TypedPara $member['summary'] 'description') } else { @() }
        if (-not $text) { $Problems.Add("${name}: parameter -$($p.Name) has no <summary><para type=""description""> ($memberName).") }

        $sets = $p.ParameterSets
        $mandatoryEverywhere = @($sets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
        $positions = @($sets.Values | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
        $byValue = @($sets.Values | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($sets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0

        $default = if ($mandatoryEverywhere) { $null } else { Get-ParameterDefault $name $p $property $member $instance ([ref]$text) $Problems }

        $parameters.Add([pscustomobject]@{
                Name          = $p.Name
                Type          = $p.ParameterType
                IsSwitch      = $p.SwitchParameter
                Description   = $text
                Aliases       = @($p.Aliases)
                Required      = $mandatoryEverywhere
                Position      = if ($positions.Count) { [string]$positions[0] } else { 'named' }
                PipelineInput = Format-PipelineInput $byValue $byName
                Default       = if ($null -eq $default) { 'None' } else { [string]$default }
                Sets          = $sets
            })
    }
    if ($instance -is [System.IDisposable]) { $instance.Dispose() }

    $cmdletAttribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
    if ($cmdletAttribute.SupportsShouldProcess) {
        foreach ($sp in $shouldProcessHelp.GetEnumerator()) {
            $parameters.Add([pscustomobject]@{
                    Name = $sp.Key; Type = [System.Management.Automation.SwitchParameter]; IsSwitch = $true
                    Description = @($sp.Value); Aliases = @(if ($sp.Key -eq 'WhatIf') { 'wi' } else { 'cf' })
                    Required = $false; Position = 'named'; PipelineInput = 'False'; Default = 'False'
                    Sets = @{ '__AllParameterSets' = $null }
                })
        }
    }

    # Syntax: one item per parameter set, the default set first; __AllParameterSets parameters are in every set.
    $setNames = @($parameters | ForEach-Object { $_.Sets.Keys } | Where-Object { $_ -ne '__AllParameterSets' } | Sort-Object -Unique)
    if (-not $setNames) { $setNames = @('__AllParameterSets') }
    $setNames = @($setNames | Sort-Object { $_ -ne $metadata.DefaultParameterSetName }, { $_ })
    $syntax = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $setNames) {
        $inSet = foreach ($parameter in $parameters) {
            $setMetadata = $null
            if ($parameter.Sets.ContainsKey($set)) { $setMetadata = $parameter.Sets[$set] }
            elseif ($parameter.Sets.ContainsKey('__AllParameterSets')) { $setMetadata = $parameter.Sets['__AllParameterSets'] }
            else { continue }
            $position = if ($setMetadata -and $setMetadata.Position -ge 0) { $setMetadata.Position } else { [int]::MaxValue }
            [pscustomobject]@{
                Parameter     = $parameter
                Required      = [bool]($setMetadata -and $setMetadata.IsMandatory)
                Position      = if ($position -eq [int]::MaxValue) { 'named' } else { [string]$position }
                PipelineInput = if ($setMetadata) { Format-PipelineInput $setMetadata.ValueFromPipeline $setMetadata.ValueFromPipelineByPropertyName } else { 'False' }
                SortKey       = $position
            }
        }
        $syntax.Add(@($inSet | Sort-Object SortKey, { -not $_.Required }))
    }

    $inputs = @($parameters | Where-Object PipelineInput -ne 'False' | Group-Object { $_.Type.FullName } | ForEach-Object {
            $first = $_.Group[0]
            $how = ($_.Group | ForEach-Object {
                    "-$($_.Name) takes it " + ($_.PipelineInput -replace '^True \((.*)\)$', '$1' -replace 'ByValue', 'by value' -replace 'ByPropertyName', 'by property name' -replace ', ', ' and ')
                }) -join '; '
            $about = Get-TypeSummary $first.Type
            [pscustomobject]@{ Type = $first.Type.FullName; Description = (@("You can pipe $($first.Type.Name) to ${name}: $how.", $about) | Where-Object { $_ }) -join ' ' }
        })
    if (-not $inputs) { $inputs = @([pscustomobject]@{ Type = 'None'; Description = "You cannot pipe objects to $name." }) }

    $outputs = @($type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) | ForEach-Object { $_.Type } | ForEach-Object {
            $outputType = $_.Type
            $typeName = if ($outputType) { $outputType.FullName } else { $_.Name }
            [pscustomobject]@{ Type = $typeName; Description = if ($outputType) { Get-TypeSummary $outputType } else { '' } }
        })
    if (-not $outputs) { $Problems.Add("${name}: no [OutputType] attribute.") }

    [pscustomobject]@{
        Name = $name; Verb = $Cmdlet.Verb; Noun = $Cmdlet.Noun; Synopsis = $synopsis; Description = $description
        Parameters = @($parameters | Sort-Object { if ($_.Position -eq 'named') { [int]::MaxValue } else { [int]$_.Position } }, { -not $_.Required })
        Syntax = $syntax; Inputs = $inputs; Outputs = $outputs; Examples = $examples; Notes = $notes
    }
}

# What happens when an optional parameter is not given, in words (the convention in the script's help); $Text is the
# description, to which stated words are added; a value that cannot say it goes to $Problems.
function Get-ParameterDefault([string] $Cmdlet, $Parameter, $Property, $Member, $Instance, [ref] $Text, [System.Collections.Generic.List[string]] $Problems) {
    $stated = if ($Member) { @(Get-TypedPara $Member['summary'] 'default') -join ' ' } else { '' }
    $sentence = [regex]::Match(($Text.Value -join ' '), '\bDefault: (.+?)(?:\.(?=\s|$)|;|$)')
    if ($stated) {
        if (-not $sentence.Success -and $Text.Value) {
            $paras = @($Text.Value)
            $paras[-1] = "$($paras[-1]) Default: $($stated.TrimEnd('.'))."
            $Text.Value = $paras
        }
        return $stated
    }
    if ($sentence.Success) { return $sentence.Groups[1].Value.Trim() }
    if ($Parameter.SwitchParameter) { return 'off' }  # as the switches whose help says "Default: off"
    if (-not ($Instance -and $Property -and $Property.CanRead)) { return $null }

    $value = try { $Property.GetValue($Instance) } catch { $null }
    if ($null -eq $value) { return $null }
    $where = "${Cmdlet}: parameter -$($Parameter.Name)"
    if ($value -is [datetime] -or $value -is [DateTimeOffset] -or $value -is [timespan]) {
        $Problems.Add("$where would show its initializer's value '$value' as its default (a time, perhaps the time the help was built); say what happens when it is not given with <para type=""default"">.")
        return $null
    }
    if ($value.GetType().IsValueType -and $value -eq [Activator]::CreateInstance($value.GetType())) {
        $Problems.Add("$where would show '$value' as its default, which is only the unset value; say what happens when it is not given with <para type=""default""> or a ""Default: ..."" sentence.")
        return $null
    }
    $value
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByName) {
    $how = @(if ($ByValue) { 'ByValue' }; if ($ByName) { 'ByPropertyName' })
    if ($how) { "True ($($how -join ', '))" } else { 'False' }
}

#endregion

$problems = [System.Collections.Generic.List[string]]::new()
$help = @(foreach ($cmdlet in $cmdletTypes) { Get-CmdletHelp $cmdlet $problems })
if ($problems.Count) {
    throw "The cmdlet help is incomplete; fix these doc comments:`n  " + ($problems -join "`n  ")
}

#region MAML

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$target = Join-Path (Resolve-Path -LiteralPath $OutputPath).ProviderPath "$([System.IO.Path]::GetFileName($AssemblyPath))-Help.xml"
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$w = [System.Xml.XmlWriter]::Create($target, $settings)

function Write-Paras([string] $Prefix, [string] $Element, [string] $Namespace, [string[]] $Paras) {
    $w.WriteStartElement($Prefix, $Element, $Namespace)
    foreach ($para in @($Paras | Where-Object { $_ })) { $w.WriteElementString('maml', 'para', $maml, $para) }
    $w.WriteEndElement()
}

function Write-TypeElement([string] $TypeName) {
    $w.WriteStartElement('dev', 'type', $dev)
    $w.WriteElementString('maml', 'name', $maml, $TypeName)
    $w.WriteElementString('maml', 'uri', $maml, '')
    $w.WriteEndElement()
}

function Get-ValueTypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $Type.Name
}

function Write-Parameter($Parameter, [bool] $Required, [string] $Position, [string] $PipelineInput) {
    $w.WriteStartElement('command', 'parameter', $command)
    $w.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $PipelineInput)
    $w.WriteAttributeString('position', $Position)
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    Write-Paras 'maml' 'description' $maml $Parameter.Description
    if (-not $Parameter.IsSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
        $w.WriteString((Get-ValueTypeName $Parameter.Type))
        $w.WriteEndElement()
    }
    Write-TypeElement $Parameter.Type.FullName
    $w.WriteElementString('dev', 'defaultValue', $dev, $Parameter.Default)
    $w.WriteEndElement()
}

try {
    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', 'http://msh')
    $w.WriteAttributeString('schema', 'maml')
    foreach ($h in $help) {
        $w.WriteStartElement('command', 'command', $command)
        $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $w.WriteAttributeString('xmlns', 'command', $null, $command)
        $w.WriteAttributeString('xmlns', 'dev', $null, $dev)

        $w.WriteStartElement('command', 'details', $command)
        $w.WriteElementString('command', 'name', $command, $h.Name)
        $w.WriteElementString('command', 'verb', $command, $h.Verb)
        $w.WriteElementString('command', 'noun', $command, $h.Noun)
        Write-Paras 'maml' 'description' $maml @($h.Synopsis)
        $w.WriteEndElement()

        Write-Paras 'maml' 'description' $maml $h.Description

        $w.WriteStartElement('command', 'syntax', $command)
        foreach ($item in $h.Syntax) {
            $w.WriteStartElement('command', 'syntaxItem', $command)
            $w.WriteElementString('maml', 'name', $maml, $h.Name)
            foreach ($s in $item) { Write-Parameter $s.Parameter $s.Required $s.Position $s.PipelineInput }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'parameters', $command)
        foreach ($p in $h.Parameters) { Write-Parameter $p $p.Required $p.Position $p.PipelineInput }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'inputTypes', $command)
        foreach ($i in $h.Inputs) {
            $w.WriteStartElement('command', 'inputType', $command)
            Write-TypeElement $i.Type
            Write-Paras 'maml' 'description' $maml @($i.Description)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'returnValues', $command)
        foreach ($o in $h.Outputs) {
            $w.WriteStartElement('command', 'returnValue', $command)
            Write-TypeElement $o.Type
            Write-Paras 'maml' 'description' $maml @($o.Description)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        if ($h.Notes) {
            $w.WriteStartElement('maml', 'alertSet', $maml)
            $w.WriteStartElement('maml', 'alert', $maml)
            foreach ($note in $h.Notes) { $w.WriteElementString('maml', 'para', $maml, $note) }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }

        $w.WriteStartElement('command', 'examples', $command)
        $n = 0
        foreach ($e in $h.Examples) {
            $n++
            $w.WriteStartElement('command', 'example', $command)
            $w.WriteElementString('maml', 'title', $maml, "-------------------------- Example $n --------------------------")
            $w.WriteElementString('dev', 'code', $dev, $e.Code)
            Write-Paras 'dev' 'remarks' $dev $e.Remarks
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteStartElement('command', 'relatedLinks', $command)
        foreach ($link in @('about_TencentIm') + @($help.Name | Where-Object { $_ -ne $h.Name })) {
            $w.WriteStartElement('maml', 'navigationLink', $maml)
            $w.WriteElementString('maml', 'linkText', $maml, $link)
            $w.WriteElementString('maml', 'uri', $maml, '')
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
}
finally {
    $w.Dispose()
}

#endregion

Write-Verbose "Wrote help for $($help.Count) cmdlet(s): $($help.Name -join ', ') to $target"
Get-Item -LiteralPath $target
