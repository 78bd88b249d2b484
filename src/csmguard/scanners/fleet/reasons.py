"""Why a check decided as it did, in zh-TW and English; ``{detail}`` is filled from the check's outcome."""

from __future__ import annotations

from functools import lru_cache

from csmguard.domain import LocalizedText, text

REASONS: dict[str, tuple[str, str]] = {
    "managed": ("由 MDM 管理（{detail}）", "managed by an MDM ({detail})"),
    "not_managed": ("未由 MDM 管理（{detail}）", "not managed by an MDM ({detail})"),
    "managed_unknown": ("匯出資料未顯示是否由 MDM 管理", "the export does not say whether an MDM manages the device"),
    "retired": ("裝置已抹除或解除註冊（{detail}）", "the device is wiped or retired ({detail})"),
    "compliant": ("MDM 回報符合規範", "the MDM reports the device compliant"),
    "noncompliant": ("MDM 回報不符合規範（{detail}）", "the MDM reports the device not compliant ({detail})"),
    "compliance_unknown": ("MDM 未回報合規狀態（{detail}）", "the MDM reports no compliance state ({detail})"),
    "encrypted": ("儲存已加密", "storage is encrypted"),
    "not_encrypted": ("儲存未加密", "storage is not encrypted"),
    "encryption_by_policy": ("合規政策要求加密且裝置符合規範（{detail}）",
                             "a compliance policy requires encryption and the device is compliant ({detail})"),
    "encryption_unknown": ("匯出資料未顯示是否加密", "the export does not say whether storage is encrypted"),
    "ios_user_enrollment_passcode": ("iOS 使用者註冊（User Enrollment）無法強制密碼設定，需以補償控制人工判斷",
                                     "iOS user enrollment cannot enforce passcode settings; a compensating "
                                     "control must be judged by a person"),
    "ios_user_enrollment_wipe": ("iOS 使用者註冊無法強制完整抹除或失敗次數抹除，僅能移除受管資料；需人工判斷補償控制",
                                 "iOS user enrollment cannot enforce a full wipe or wipe after failed attempts, only "
                                 "removal of managed data; a compensating control must be judged by a person"),
    "no_passcode": ("裝置未設定密碼", "the device has no passcode"),
    "passcode_noncompliant": ("密碼不符合設定檔要求", "the passcode does not comply with the profile"),
    "passcode_not_required": ("指派的政策未要求密碼", "the assigned policies do not require a passcode"),
    "passcode_length_ok": ("密碼最短長度 {detail}", "minimum passcode length {detail}"),
    "passcode_too_short": ("密碼最短長度不足：{detail}", "minimum passcode length too short: {detail}"),
    "not_enforced": ("指派給裝置的政策未設定：{detail}", "no policy assigned to the device sets: {detail}"),
    "setting_unknown": ("匯出資料與政策均未提供：{detail}（請提供 Intune 政策檔）",
                        "neither the export nor a policy file gives: {detail} (give the Intune policy files)"),
    "baseline_allows": ("基準未要求：{detail}", "the baseline does not require: {detail}"),
    "simple_blocked": ("已禁止簡單密碼", "simple passcodes are blocked"),
    "simple_allowed": ("允許簡單密碼（重複或連續數字）", "simple passcodes (repeating or sequential) are allowed"),
    "auto_lock_ok": ("自動鎖定分鐘數 {detail}", "auto-lock minutes {detail}"),
    "auto_lock_too_long": ("自動鎖定時間過長（分鐘）：{detail}", "auto-lock too long (minutes): {detail}"),
    "wipe_ok": ("失敗次數抹除 {detail}", "wipe after failed attempts {detail}"),
    "remote_wipe": ("可由 MDM 遠端抹除（{detail}）", "remote wipe is available through the MDM ({detail})"),
    "wipe_too_many": ("失敗抹除次數過多：{detail}", "too many failed attempts before wipe: {detail}"),
    "no_wipe": ("未受 MDM 管理，無法遠端抹除亦無失敗次數抹除",
                "not managed: no remote wipe and no wipe after failures"),
    "jailbroken": ("裝置已越獄或提權（root）", "the device is jailbroken or rooted"),
    "not_jailbroken": ("未偵測到越獄或提權", "no jailbreak or root detected"),
    "jailbreak_unknown": ("越獄狀態未知（Unknown 不視為通過）", "jailbreak state is Unknown (Unknown is never a pass)"),
    "os_version_missing": ("匯出資料未提供作業系統版本", "the export gives no OS version"),
    "no_minimum_version": ("基準未設定此平台的最低版本：{detail}", "the baseline has no minimum version for {detail}"),
    "os_outdated": ("作業系統版本過舊：{detail}", "OS version too old: {detail}"),
    "patch_missing": ("匯出資料未提供 Android 安全性修補程式等級（{detail}）",
                      "the export gives no Android security patch level ({detail})"),
    "patch_old": ("安全性修補程式過舊：{detail}", "security patch too old: {detail}"),
    "os_current": ("作業系統為最新（{detail}）", "OS is current ({detail})"),
    "checkin_missing": ("匯出資料未提供最後簽入時間", "the export gives no last check-in time"),
    "checkin_stale": ("最後簽入天數過久：{detail}", "last check-in too long ago (days): {detail}"),
    "checkin_warn": ("最後簽入天數已超過警示值：{detail}", "last check-in beyond the warning (days): {detail}"),
    "checkin_ok": ("{detail} 天前簽入", "checked in {detail} day(s) ago"),
    "threat_unknown": ("行動威脅防護狀態未知（{detail}）", "mobile threat defence state unknown ({detail})"),
    "threat_ok": ("威脅防護狀態：{detail}", "threat defence state: {detail}"),
    "threat_bad": ("威脅防護回報風險：{detail}", "threat defence reports: {detail}"),
    "not_restricted": ("未限制：{detail}", "not restricted: {detail}"),
    "restricted": ("已限制：{detail}", "restricted: {detail}"),
    "wireless_need_undeclared": ("未限制：{detail}；公司尚未訂定所需之無線功能（基準 wireless.needed），"
                                 "無法判斷是否為「不需要之」功能",
                                 "not restricted: {detail}; the firm has not declared which wireless functions "
                                 "it needs (baseline wireless.needed), so whether they are unneeded is undecided"),
    "wireless_needed": ("公司政策列為所需之無線功能：{detail}", "wireless functions the firm's policy needs: {detail}"),
    "not_sensitive": ("裝置未存放敏感性資料", "the device holds no sensitive data"),
    "ios_unsupervised_wireless": ("未受監管（supervised）的 iOS 裝置無法限制 AirDrop、藍牙與 NFC"
                                  "（iOS 亦無法關閉 Wi-Fi）；需人工判斷補償控制",
                                  "an unsupervised iOS device cannot restrict AirDrop, Bluetooth or NFC (and iOS "
                                  "cannot turn Wi-Fi off); a compensating control must be judged by a person"),
    "ios_unsupervised_hotspot": ("未受監管的 iOS 裝置無法禁止個人熱點；需人工判斷補償控制",
                                 "an unsupervised iOS device cannot block the personal hotspot; a compensating "
                                 "control must be judged by a person"),
    "supervision_unknown": ("匯出資料未顯示是否受監管", "the export does not say whether the device is supervised"),
    "android_work_profile": ("Android 個人工作設定檔無法限制裝置無線功能；需人工判斷補償控制",
                             "an Android personal work profile cannot restrict the device's radios; a compensating "
                             "control must be judged by a person"),
    "platform_unknown": ("平台不明（{detail}）", "unknown platform ({detail})"),
    "personal_apps_invisible": ("個人裝置僅能看到受管 App，無法檢查其他 App；需人工判斷",
                                "on a personal device only managed apps are visible; a person must judge the rest"),
    "no_app_inventory": ("匯出資料未包含已安裝 App 清單", "the export has no installed-app inventory"),
    "no_allowlist": ("未設定允許 App 清單（基準或政策）", "no allowed-app list is configured (baseline or policy)"),
    "apps_not_allowed": ("安裝了未允許的 App：{detail}", "apps not on the allowed list: {detail}"),
    "apps_allowed": ("{detail} 個 App 均在允許清單", "all {detail} app(s) are allowed"),
    "no_staff_register": ("未提供人員異動名冊（--staff-changes）", "no staff-changes register given (--staff-changes)"),
    "no_user": ("裝置未指派使用者", "the device has no user"),
    "no_staff_change": ("使用者無異動紀錄", "the user has no staff change"),
    "device_retired": ("裝置已抹除或解除註冊（{detail}）", "the device is wiped or retired ({detail})"),
    "reconfigured": ("已依新部門重新設定（{detail}）", "reconfigured for the new department ({detail})"),
    "within_grace": ("異動仍在寬限期內：{detail}", "the change is within the grace period: {detail}"),
    "departed_not_wiped": ("離職人員的裝置逾期未抹除、解除註冊或重新指派：{detail}",
                           "device of departed staff not wiped, retired or reassigned in time: {detail}"),
    "transfer_no_department": ("調職紀錄未填新部門（{detail}）", "the transfer names no new department ({detail})"),
    "device_department_unknown": ("無法得知裝置部門（新部門 {detail}）",
                                  "the device's department is not known (new department {detail})"),
    "transfer_not_reconfigured": ("調職人員的裝置逾期未重新設定：{detail}",
                                  "device of transferred staff not reconfigured in time: {detail}"),
    "company_device": ("公司所有裝置，非 BYOD", "a company device, not BYOD"),
    "ownership_unknown": ("匯出資料未顯示裝置所有權", "the export does not say who owns the device"),
    "no_byod_register": ("未提供 BYOD 協議名冊（--byod-agreements）",
                         "no BYOD agreements register given (--byod-agreements)"),
    "no_agreement": ("無 BYOD 使用協議（{detail}）", "no BYOD agreement ({detail})"),
    "agreement_valid": ("BYOD 協議有效（簽署於 {detail}）", "valid BYOD agreement (signed {detail})"),
    "agreement_revoked": ("BYOD 協議已撤銷（{detail}）", "the BYOD agreement is revoked ({detail})"),
    "agreement_unsigned": ("BYOD 協議尚未簽署", "the BYOD agreement is not signed"),
    "agreement_not_yet_valid": ("BYOD 協議尚未生效（{detail} 起）",
                                "the BYOD agreement is not valid yet (from {detail})"),
    "agreement_expired": ("BYOD 協議已到期（{detail}）", "the BYOD agreement expired ({detail})"),
    "no_valid_agreement": ("無有效的 BYOD 協議可供審查（{detail}）", "no valid BYOD agreement to review ({detail})"),
    "review_overdue": ("BYOD 協議逾期未審查：{detail}", "BYOD agreement review overdue: {detail}"),
    "no_data_types": ("BYOD 協議未列出允許的資料類型", "the BYOD agreement lists no permitted data types"),
    "sensitive_not_permitted": ("裝置存放敏感性資料，但協議未允許（允許：{detail}）",
                                "the device holds sensitive data the agreement does not permit (permits: {detail})"),
    "agreement_reviewed": ("BYOD 協議已審查（{detail}）", "BYOD agreement reviewed ({detail})"),
}


# Setting names that checks put in a detail, in zh-TW (the details are written in English).
SETTING_NAMES_ZH: dict[str, str] = {
    "passcode minimum length": "密碼最短長度", "simple passcode blocking": "禁止簡單密碼", "auto-lock": "自動鎖定",
    "wipe after failed attempts": "失敗次數抹除", "tethering": "熱點分享", "Bluetooth": "藍牙",
    "simple passcodes": "簡單密碼", "threat defence": "威脅防護",
}
_NAMED_DETAILS = frozenset({"not_enforced", "setting_unknown", "not_restricted", "restricted", "baseline_allows",
                            "wireless_need_undeclared", "wireless_needed"})


@lru_cache(maxsize=8192)
def reason_text(code: str, detail: str) -> LocalizedText:
    """The reason in both languages, with its detail; an unlisted code is shown as it is (memoised: the
    texts are immutable and a fleet repeats the same few reasons)."""
    zh, en = REASONS.get(code, (code + "：{detail}", code + ": {detail}"))
    zh_detail = detail
    if code in _NAMED_DETAILS and detail:
        zh_detail = "、".join(SETTING_NAMES_ZH.get(part.strip(), part.strip()) for part in detail.split(","))
    return text(zh.replace("{detail}", zh_detail or "—"), en.replace("{detail}", detail or "—"))
