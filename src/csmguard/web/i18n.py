"""Every user-facing string of the web app, in zh-TW (the default) and English."""

from __future__ import annotations

from collections.abc import Callable

from csmguard.domain import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # layout and navigation
    "app_name": ("CSM Guard 資安管控指引遵循平台", "CSM Guard compliance workspace"),
    "nav_dashboard": ("總覽", "Dashboard"),
    "nav_catalog": ("指引條文", "Catalog"),
    "nav_registers": ("清冊", "Registers"),
    "nav_findings": ("檢測結果", "Findings"),
    "nav_scans": ("檢測作業", "Scans"),
    "nav_evidence": ("佐證資料", "Evidence"),
    "nav_assessments": ("評估", "Assessments"),
    "nav_reports": ("報告", "Reports"),
    "nav_users": ("使用者", "Users"),
    "nav_tokens": ("API 權杖", "API tokens"),
    "nav_audit": ("稽核軌跡", "Audit trail"),
    "nav_account": ("我的帳號", "My account"),
    "logout": ("登出", "Log out"),
    "language": ("語言", "Language"),
    "skip_to_content": ("跳至主要內容", "Skip to content"),
    "save": ("儲存", "Save"),
    "create": ("新增", "Create"),
    "submit": ("送出", "Submit"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "none": ("無", "None"),
    "more": ("更多", "More"),
    "download": ("下載", "Download"),
    "actions": ("操作", "Actions"),
    # errors
    "error_title": ("錯誤", "Error"),
    "forbidden": ("您的角色沒有執行此操作的權限。", "Your role does not allow this."),
    "not_found": ("找不到此項目。", "Not found."),
    "csrf_failed": ("表單已過期或來源不正確，請重新整理頁面後再試一次。",
                    "The form has expired or did not come from this site; reload the page and try again."),
    "bad_request": ("請求內容有誤。", "The request is not valid."),
    "back_home": ("回到總覽", "Back to the dashboard"),
    # set-up and log-in
    "setup_title": ("建立第一位系統管理者", "Create the first administrator"),
    "setup_intro": ("目前尚無任何帳號。請建立系統管理者帳號；下一步將設定雙因子認證 (TOTP)。",
                    "No account exists yet. Create the administrator account; next you will set up "
                    "two-factor authentication (TOTP)."),
    "username": ("帳號", "User name"),
    "display_name": ("顯示名稱", "Display name"),
    "password": ("密碼", "Password"),
    "password_confirm": ("確認密碼", "Confirm password"),
    "current_password": ("目前密碼", "Current password"),
    "new_password": ("新密碼", "New password"),
    "change_password": ("變更密碼", "Change password"),
    "password_changed": ("密碼已變更。", "The password was changed."),
    "passwords_differ": ("兩次輸入的密碼不同。", "The passwords do not match."),
    "password_too_short": ("密碼長度不足。", "The password is too short."),
    "password_contains_username": ("密碼不可包含帳號名稱。", "The password must not contain the user name."),
    "password_too_simple": ("密碼過於簡單。", "The password is too simple."),
    "wrong_password": ("目前密碼不正確。", "The current password is wrong."),
    "bad_username": ("帳號只能使用英數字、點、底線或連字號，最長 64 字元。",
                     "User names use letters, digits, dots, underscores or hyphens, at most 64 characters."),
    "username_taken": ("此帳號已存在。", "This user name is taken."),
    "login_title": ("登入", "Log in"),
    "login": ("登入", "Log in"),
    "totp_code": ("驗證碼 (TOTP)", "Authentication code (TOTP)"),
    "totp_code_help": ("若已設定雙因子認證，請輸入驗證器 App 顯示的 6 位數字。",
                       "If you have set up two-factor authentication, enter the 6 digits your authenticator shows."),
    "bad_credentials": ("帳號、密碼或驗證碼不正確。", "The user name, password or code is wrong."),
    "locked": ("登入失敗次數過多，帳號已暫時鎖定，請稍後再試或洽系統管理者。",
               "Too many failed log-ins: the account is locked for a while. Try later or ask an administrator."),
    "session_expired": ("工作階段已逾時，請重新登入。", "Your session has expired; please log in again."),
    "logged_out": ("您已登出。", "You have logged out."),
    "setup_done_already": ("系統已有帳號，請登入。", "Accounts exist already; please log in."),
    # TOTP
    "totp_title": ("設定雙因子認證 (TOTP)", "Set up two-factor authentication (TOTP)"),
    "totp_intro": ("以驗證器 App（如 Google Authenticator、Microsoft Authenticator）掃描 QR Code，"
                   "或手動輸入金鑰，然後輸入 App 顯示的 6 位數驗證碼。",
                   "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator …) "
                   "or type the key, then enter the 6-digit code the app shows."),
    "totp_required_note": ("您的角色必須使用雙因子認證，完成設定後才能使用系統。",
                           "Your role must use two-factor authentication; finish setting it up to continue."),
    "totp_secret": ("金鑰", "Key"),
    "totp_uri": ("設定網址", "Set-up URI"),
    "totp_confirm": ("確認並啟用", "Confirm and turn on"),
    "totp_wrong": ("驗證碼不正確，請再試一次（注意手機時間是否正確）。",
                   "The code is wrong; try again (check the phone's clock)."),
    "totp_enabled": ("雙因子認證已啟用。", "Two-factor authentication is on."),
    "totp_not_enabled": ("尚未啟用雙因子認證。", "Two-factor authentication is off."),
    "totp_setup_link": ("設定雙因子認證", "Set up two-factor authentication"),
    "totp_already_enabled": ("雙因子認證已啟用。", "Two-factor authentication is already on."),
    "totp_not_pending": ("沒有待確認的雙因子認證設定。", "No two-factor set-up is waiting for a code."),
    # roles
    "role": ("角色", "Role"),
    "role_administrator": ("系統管理者", "Administrator"),
    "role_compliance_officer": ("法遵／資安主管", "Compliance officer"),
    "role_engineer": ("資安工程師", "Engineer"),
    "role_auditor": ("稽核人員（唯讀）", "Auditor (read-only)"),
    # users
    "users_title": ("使用者與角色", "Users and roles"),
    "new_user": ("新增使用者", "New user"),
    "initial_password": ("初始密碼", "Initial password"),
    "active": ("啟用", "Active"),
    "totp": ("雙因子", "TOTP"),
    "locked_until": ("鎖定至", "Locked until"),
    "last_login": ("最近登入", "Last log-in"),
    "unlock": ("解除鎖定", "Unlock"),
    "reset_totp": ("重設雙因子", "Reset TOTP"),
    "deactivate": ("停用", "Deactivate"),
    "activate": ("啟用", "Activate"),
    "change_role": ("變更角色", "Change role"),
    "user_created": ("使用者已建立。", "The user was created."),
    "user_updated": ("使用者已更新。", "The user was updated."),
    "cannot_change_self": ("不可停用或降級自己的帳號。", "You cannot deactivate or demote your own account."),
    # tokens
    "tokens_title": ("API 權杖", "API tokens"),
    "tokens_intro": ("CI 以 API 權杖上傳檢測結果：POST /api/scans，標頭 Authorization: Bearer <權杖>，"
                     "內容為 csmguard scan … --format json 的輸出。",
                     "CI uploads scan results with an API token: POST /api/scans with the header "
                     "Authorization: Bearer <token> and the output of csmguard scan … --format json as body."),
    "token_name": ("名稱", "Name"),
    "token_scopes": ("權限範圍", "Scopes"),
    "scope_scans:write": ("上傳檢測結果", "Upload scan results"),
    "scope_read": ("讀取", "Read"),
    "expires_on": ("到期日", "Expires on"),
    "owner": ("擁有者", "Owner"),
    "prefix": ("識別前綴", "Prefix"),
    "created_at": ("建立時間", "Created"),
    "last_used": ("最近使用", "Last used"),
    "revoked": ("已撤銷", "Revoked"),
    "revoke": ("撤銷", "Revoke"),
    "new_token": ("新增權杖", "New token"),
    "token_created": ("權杖已建立。此權杖只會顯示這一次，請立即保存：",
                      "The token was created. It is shown only this once; store it now:"),
    "token_role": ("只有工程師與系統管理者可以持有 API 權杖。",
                   "Only engineers and administrators may hold API tokens."),
    "token_fields": ("請填寫名稱並至少選擇一個權限範圍。", "Give a name and at least one scope."),
    # audit
    "audit_title": ("稽核軌跡", "Audit trail"),
    "audit_intro": ("每項變更（誰、做了什麼、何時、變更前後）都以雜湊鏈結記錄，任何修改或刪除都能被偵測。",
                    "Every change (who, what, when, before and after) is recorded in a hash chain, so any "
                    "edit or deletion can be detected."),
    "audit_verify": ("驗證雜湊鏈", "Verify the hash chain"),
    "audit_ok": ("雜湊鏈完整：共 {count} 筆，未發現修改或刪除。",
                 "The hash chain is intact: {count} entries, no edit or deletion found."),
    "audit_broken": ("雜湊鏈已遭破壞：", "The hash chain is broken:"),
    "audit_export_csv": ("匯出 CSV", "Export CSV"),
    "audit_export_json": ("匯出 JSON", "Export JSON"),
    "seq": ("序號", "No."),
    "at": ("時間", "When"),
    "actor": ("執行者", "Who"),
    "action": ("動作", "Action"),
    "object": ("對象", "Object"),
    "before": ("變更前", "Before"),
    "after": ("變更後", "After"),
    "older": ("較舊的紀錄", "Older entries"),
    # account
    "account_title": ("我的帳號", "My account"),
    # catalog
    "catalog_title": ("指引條文與遵循狀態", "Catalog and compliance status"),
    "requirement": ("條文", "Requirement"),
    "level": ("等級", "Level"),
    "domain": ("領域", "Domain"),
    "chapter": ("章", "Chapter"),
    "text_zh": ("條文（中文）", "Text (Chinese)"),
    "text_en": ("條文（英文）", "Text (English)"),
    "status": ("狀態", "Status"),
    "reasons": ("判定理由", "Reasons"),
    "evidence": ("佐證資料", "Evidence"),
    "expected_evidence": ("預期佐證", "Expected evidence"),
    "findings": ("檢測結果", "Findings"),
    "exceptions": ("例外", "Exceptions"),
    "attestations": ("聲明", "Attestations"),
    "mappings": ("對應標準", "Mappings"),
    "rules": ("檢測規則", "Rules"),
    "check_method": ("檢核方式", "Check method"),
    "no_assessment": ("尚未儲存任何評估；狀態將於第一次評估後顯示。",
                      "No assessment has been saved yet; statuses appear after the first one."),
    "no_findings": ("沒有檢測結果。", "No findings."),
    "rule": ("規則", "Rule"),
    "severity": ("嚴重度", "Severity"),
    "target": ("對象", "Target"),
    "location": ("位置", "Location"),
    "message": ("說明", "Message"),
    "level_shall": ("應", "shall"),
    "level_should": ("宜", "should"),
    "level_may": ("可", "may"),
    "domain_general": ("總則", "General"),
    "domain_cloud": ("雲端運算", "Cloud computing"),
    "domain_social_media": ("社群媒體", "Social media"),
    "domain_mobile": ("行動裝置", "Mobile devices"),
    # uploads
    "upload_too_large": ("上傳檔案過大（上限 {limit} MB）。", "The upload is too large (limit {limit} MB)."),
    "upload_empty": ("沒有選擇檔案或檔案是空的。", "No file was chosen, or the file is empty."),
    "upload_wrong_type": ("不支援的檔案類型：{detail}", "This type of file is not accepted: {detail}"),
    "upload_bad_archive": ("壓縮檔無法安全讀取：{detail}", "The archive cannot be read safely: {detail}"),
    # API
    "api_bad_scan": ("檢測結果 JSON 格式不正確：{detail}", "The scan-result JSON is not valid: {detail}"),
}


def translate(lang: Lang, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``{placeholders}`` filled; KeyError for an unknown key."""
    zh_tw, en = MESSAGES[key]
    message = zh_tw if lang is Lang.ZH_TW else en
    return message.format(**values) if values else message


def translator(lang: Lang) -> Callable[..., str]:
    """``translate`` bound to one language, for templates."""

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return t
