<#
.SYNOPSIS
    Builds CoPilot.vst3 with NativeAOT, installs it, and runs its checks.

.DESCRIPTION
    Tasks:
      install (default)  publish the plugin, assemble the VST3 bundle in artifacts/, install it to the user's
                         VST3 folder, build the native test host and play a built-in phrase through the
                         installed plugin, printing what came out.
      test               build the bundle and the native host, then run every test: the .NET unit tests and
                         the host-level tests (native host, Ardour's VST3 scanner) on the freshly built bundle.
      bundle             only publish and assemble artifacts/CoPilot.vst3.

    Run through the repository's local PowerShell tool:  dotnet tool restore && dotnet pwsh ./build.ps1
    The bundle layout follows the platform it runs on (Linux, macOS, Windows); only Linux is tested here.

.PARAMETER InstallDir
    Where to install the bundle. Default: ~/.vst3 (Linux), ~/Library/Audio/Plug-Ins/VST3 (macOS),
    %LOCALAPPDATA%\Programs\Common\VST3 (Windows).
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('install', 'test', 'bundle')]
    [string] $Task = 'install',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string] $InstallDir,

    # Skip the demo run after installing.
    [switch] $NoDemo
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true

$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$Bundle = Join-Path $Artifacts 'CoPilot.vst3'
$NativeBuild = Join-Path $Root 'native/build'

function Write-Step([string] $Text) {
    Write-Host "==> $Text" -ForegroundColor Cyan
}

function Get-Platform {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture
    if ($IsWindows) {
        $rid = if ($arch -eq 'Arm64') { 'win-arm64' } else { 'win-x64' }
        $folder = if ($arch -eq 'Arm64') { 'arm64-win' } else { 'x86_64-win' }
        return @{ Os = 'windows'; Rid = $rid; Folder = $folder; Library = 'CoPilot.dll'; BundleLibrary = 'CoPilot.vst3' }
    }
    if ($IsMacOS) {
        $rid = if ($arch -eq 'Arm64') { 'osx-arm64' } else { 'osx-x64' }
        # A macOS bundle holds one (possibly universal) binary in Contents/MacOS.
        return @{ Os = 'macos'; Rid = $rid; Folder = 'MacOS'; Library = 'CoPilot.dylib'; BundleLibrary = 'CoPilot' }
    }
    $rid = if ($arch -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
    $folder = if ($arch -eq 'Arm64') { 'aarch64-linux' } else { 'x86_64-linux' }
    return @{ Os = 'linux'; Rid = $rid; Folder = $folder; Library = 'CoPilot.so'; BundleLibrary = 'CoPilot.so' }
}

function Get-DefaultInstallDir($Platform) {
    switch ($Platform.Os) {
        'windows' { return Join-Path $env:LOCALAPPDATA 'Programs/Common/VST3' }
        'macos' { return Join-Path $HOME 'Library/Audio/Plug-Ins/VST3' }
        default { return Join-Path $HOME '.vst3' }
    }
}

function Invoke-NativeHostBuild {
    Write-Step 'Building the native test host (native/, CMake)'
    cmake -S (Join-Path $Root 'native') -B $NativeBuild -DCMAKE_BUILD_TYPE=Release "-DCOPILOT_BUNDLE=$Bundle" | Out-Host
    cmake --build $NativeBuild --parallel 2 | Out-Host
    $exe = Join-Path $NativeBuild ($IsWindows ? 'copilot-host.exe' : 'copilot-host')
    if (-not (Test-Path $exe)) { throw "native host was not built: $exe" }
    return $exe
}

function Invoke-BundleBuild($Platform) {
    Write-Step "Publishing the plugin with NativeAOT ($($Platform.Rid), $Configuration)"
    $publish = Join-Path $Artifacts "publish/$($Platform.Rid)"
    # A changed linker argument does not relink an existing native output: start from clean outputs.
    Remove-Item -Recurse -Force $publish -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force (Join-Path $Root "src/CoPilot.Plugin/obj/$Configuration/net10.0/$($Platform.Rid)/native") -ErrorAction SilentlyContinue
    dotnet publish (Join-Path $Root 'src/CoPilot.Plugin/CoPilot.Plugin.csproj') -c $Configuration -r $Platform.Rid `
        -p:PublishAot=true -o $publish --nologo | Out-Host

    Write-Step "Assembling $Bundle"
    Remove-Item -Recurse -Force $Bundle -ErrorAction SilentlyContinue
    $binDir = Join-Path $Bundle "Contents/$($Platform.Folder)"
    New-Item -ItemType Directory -Force -Path $binDir, (Join-Path $Bundle 'Contents/Resources') | Out-Null
    Copy-Item (Join-Path $publish $Platform.Library) (Join-Path $binDir $Platform.BundleLibrary)
    # Native libraries the plugin loads at run time (ONNX Runtime) travel beside it; $ORIGIN finds them. Only
    # this platform's kind: a Linux bundle carries no Windows DLLs or macOS dylibs.
    $nativeExtension = switch ($Platform.Os) { 'windows' { '.dll' } 'macos' { '.dylib' } default { '.so' } }
    Get-ChildItem $publish -File | Where-Object {
        $_.Name -ne $Platform.Library -and $_.Extension -eq $nativeExtension -and $_.Name -notlike '*.dbg'
    } | Copy-Item -Destination $binDir
    # The model the plugin answers with (found from the plugin's own path at initialize). Without it the plugin
    # still works: the live style learner answers and the Model display says the model is missing.
    # The originality index goes with it: the plugin refuses the model without its guard against quoting.
    $model = Join-Path $Root 'models/copilot-int8.onnx'
    if (Test-Path $model) {
        Copy-Item $model (Join-Path $Bundle 'Contents/Resources/copilot-int8.onnx')
        Copy-Item (Join-Path $Root 'models/originality.bin') (Join-Path $Bundle 'Contents/Resources/originality.bin')
    }
    else {
        Write-Warning "No $model yet: the bundle answers with the style learner only."
    }
    if ($Platform.Os -eq 'macos') {
        $plist = @"
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CFBundleExecutable</key><string>CoPilot</string>
  <key>CFBundleIdentifier</key><string>org.copilot.vst3</string>
  <key>CFBundleName</key><string>CoPilot</string>
  <key>CFBundlePackageType</key><string>BNDL</string>
  <key>CFBundleSignature</key><string>????</string>
  <key>CFBundleVersion</key><string>0.1.0</string>
</dict></plist>
"@
        Set-Content -Path (Join-Path $Bundle 'Contents/Info.plist') -Value $plist -Encoding utf8NoBOM
        Set-Content -Path (Join-Path $Bundle 'Contents/PkgInfo') -Value 'BNDL????' -NoNewline
    }
}

function Write-ModuleInfo([string] $HostExe) {
    # moduleinfo.json is written from what the built binary's factory reports, as Steinberg's moduleinfotool
    # does, so it can never drift from the code.
    Write-Step 'Writing Contents/Resources/moduleinfo.json from the built plugin'
    $json = Join-Path $Bundle 'Contents/Resources/moduleinfo.json'
    & $HostExe --moduleinfo $json $Bundle | Out-Host
    if (-not (Test-Path $json)) { throw 'moduleinfo.json was not written' }
}

function Install-Bundle([string] $Destination) {
    Write-Step "Installing to $Destination"
    New-Item -ItemType Directory -Force -Path $Destination | Out-Null
    $target = Join-Path $Destination 'CoPilot.vst3'
    Remove-Item -Recurse -Force $target -ErrorAction SilentlyContinue
    Copy-Item -Recurse $Bundle $target

    # Factory presets go where hosts look for a plugin's presets: <VST3 folder>/presets/<vendor>/<plugin>/
    # on Linux (the user folders differ on Windows and macOS, where hosts use their own preset folders).
    if ($IsLinux) {
        $presetDir = Join-Path $Destination 'presets/CoPilot/CoPilot'
        New-Item -ItemType Directory -Force -Path $presetDir | Out-Null
        Copy-Item (Join-Path $Root 'presets/*.vstpreset') $presetDir
    }
    return $target
}

$platform = Get-Platform
Push-Location $Root
try {
    Invoke-BundleBuild $platform
    $hostExe = Invoke-NativeHostBuild
    Write-ModuleInfo $hostExe

    switch ($Task) {
        'bundle' { }
        'install' {
            $dir = if ($InstallDir) { $InstallDir } else { Get-DefaultInstallDir $platform }
            $installed = Install-Bundle $dir
            if (-not $NoDemo) {
                # Real time, so the inference thread has the wall-clock time a DAW gives it to answer.
                Write-Step 'Demo: the native host plays a phrase into the installed plugin; CoPilot answers on channel 1 (0-based, MIDI channel 2) with note IDs from 0x43500000'
                & $hostExe --midi phrase --print-events --realtime --blocks 400 $installed | Out-Host
            }
            Write-Host "Installed $installed"
        }
        'test' {
            Write-Step '.NET unit tests'
            # Category=Timing holds the baselines' speed checks at full corpus size (minutes of CPU); their targets are
            # reported by `copilot eval baselines` and `copilot bench`, so CI leaves them out on purpose.
            dotnet test (Join-Path $Root 'CoPilot.sln') --nologo --filter 'Category!=Timing' | Out-Host
            Write-Step "Host-level tests on $Bundle (CTest)"
            ctest --test-dir $NativeBuild --output-on-failure | Out-Host
            Write-Host 'All tests passed.'
        }
    }
}
finally {
    Pop-Location
}
