; ParkDesk's Windows installer (made by packaging/build_windows.py with makensis).
; Per user, no administrator rights: into %LOCALAPPDATA%\Programs\ParkDesk, a Start-menu
; entry, an uninstaller in 设置 → 应用. Uninstalling removes the files it installed, never
; the user's data (%LOCALAPPDATA%\ParkDesk: the database, its backups and attachments)
; nor anything else in the folder it was installed into.
Target amd64-unicode ; the program is 64-bit: so is its installer (and Wine64 runs it)
RequestExecutionLevel user
SetCompressor /SOLID lzma
Name "ParkDesk 园区两新党建工作台"
OutFile "${OUTFILE}"
Icon "${SOURCE}\resources\icons\parkdesk.ico"
UninstallIcon "${SOURCE}\resources\icons\parkdesk.ico"
InstallDir "$LOCALAPPDATA\Programs\ParkDesk"
InstallDirRegKey HKCU "Software\ParkDesk" "InstallDir"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ParkDesk"

; HKCU\Software\Classes: a file type for this user, no administrator rights needed
!macro Opens SUFFIX TYPE LABEL
  WriteRegStr HKCU "Software\Classes\${SUFFIX}" "" "${TYPE}"
  WriteRegStr HKCU "Software\Classes\${TYPE}" "" "${LABEL}"
  WriteRegStr HKCU "Software\Classes\${TYPE}\DefaultIcon" "" "$INSTDIR\resources\icons\parkdesk.ico"
  WriteRegStr HKCU "Software\Classes\${TYPE}\shell\open\command" "" '"$INSTDIR\python\pythonw.exe" "$INSTDIR\main.py" "%1"'
!macroend

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "ParkDesk"
  SetOutPath "$INSTDIR"
  ; an older ParkDesk's libraries go first: only over a ParkDesk (its uninstaller there),
  ; never a folder of the user's own that happens to be called site-packages
  IfFileExists "$INSTDIR\uninstall.exe" 0 +2
    RMDir /r "$INSTDIR\site-packages"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\ParkDesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "ParkDesk 园区两新党建工作台"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "ParkDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\resources\icons\parkdesk.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ; field and return packages open with ParkDesk when double-clicked (per user)
  !insertmacro Opens ".pdfield" "ParkDesk.FieldPackage" "ParkDesk 外业包"
  !insertmacro Opens ".pdreturn" "ParkDesk.ReturnPackage" "ParkDesk 回传包"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; Explorer sees them
  ; the window without a console: pythonw.exe runs main.py
  CreateShortCut "$SMPROGRAMS\ParkDesk 园区两新党建工作台.lnk" "$INSTDIR\python\pythonw.exe" '"$INSTDIR\main.py"' "$INSTDIR\resources\icons\parkdesk.ico" 0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\ParkDesk 园区两新党建工作台.lnk"
  ; only what the installer wrote, file by file (listed by build_windows.py), then the
  ; folders if empty: never RMDir /r, which took a folder the user installed into
  ; (/D=...\Documents\我的资料) with the user's own files
  !include "${UNINSTALL_LIST}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Classes\.pdfield"
  DeleteRegKey HKCU "Software\Classes\ParkDesk.FieldPackage"
  DeleteRegKey HKCU "Software\Classes\.pdreturn"
  DeleteRegKey HKCU "Software\Classes\ParkDesk.ReturnPackage"
  DeleteRegKey HKCU "Software\ParkDesk"
SectionEnd
