# The module's root: the cmdlets come from TencentIm.dll (NestedModules in TencentIm.psd1). This script exists for
# one thing, the OnRemove hook: Remove-Module TencentIm closes every connection made in the session (wiping its key,
# cancelling its requests) and unhooks the assembly resolver. A binary module would need IModuleAssemblyCleanup for
# that, which PowerShellStandard.Library 5.1 (the one reference for Windows PowerShell 5.1 and PowerShell 7) lacks
# and Windows PowerShell 5.1 never calls; an OnRemove script block works in both (see ModuleInitializer.OnRemove).
$ExecutionContext.SessionState.Module.OnRemove = { [TencentIm.ModuleInitializer]::OnRemove() }
