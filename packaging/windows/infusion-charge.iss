; Inno Setup 6 script: a per-machine installer for the one-folder bundle built by `make dist` on Windows.
; Build from the repository root (the version comes from pyproject.toml via /D):
;   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\infusion_charge.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\infusion-charge.iss
; Output: dist\InfusionChargeCapture-<version>-setup.exe

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Infusion Charge Capture"
#define BundleDir "..\..\dist\infusion-charge"

[Setup]
; A fixed AppId, so a newer installer upgrades the installed copy instead of adding a second one.
AppId={{6C1E2A8F-4B9D-4E57-9A3C-2F0D7B51C0E4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Infusion Charge Capture
DefaultDirName={autopf}\Infusion Charge Capture
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=InfusionChargeCapture-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\infusion-charge.ico
UninstallDisplayIcon={app}\InfusionChargeCapture.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The charge database lives in each user's data folder (%LOCALAPPDATA%\infusion-charge-capture), never in {app}:
; uninstalling leaves it in place.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\InfusionChargeCapture.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\InfusionChargeCapture.exe"; Tasks: desktopicon

[Run]
; A quick check that the copy works on this machine (database, rules, ticket, PDF, window), then launch.
Filename: "{app}\infusion-charge.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation..."
Filename: "{app}\InfusionChargeCapture.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
