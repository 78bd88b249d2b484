"""Register checks of social media and mobile registers (REG-007 … REG-012): pure functions of the records."""

from __future__ import annotations

from datetime import date, timedelta

from csmguard.domain import Finding, text
from csmguard.registers import models as m
from csmguard.registers.check_helpers import (
    RegisterCheckContext,
    fail,
    iso,
    message,
    not_applicable,
    passed,
    undetermined,
)
from csmguard.registers.facts import RegisterFacts
from csmguard.rules.model import Rule

A = "social-accounts"


def official_account_without_name_or_contact(rule: Rule, facts: RegisterFacts,
                                             context: RegisterCheckContext) -> list[Finding]:
    """REG-007: an official account that does not show the organization's name or its contact."""
    out: list[Finding] = []
    for account in facts.social_accounts:
        if not account.official:
            continue
        label = f"{account.platform} {account.handle}"
        missing = [(zh, en) for shown, zh, en in ((account.shows_org_name, "組織名稱", "organization name"),
                                                  (account.shows_contact, "聯絡方式", "contact"))
                   if not shown]
        if missing:
            out.append(fail(rule, A, account, message(
                rule, {"account": label, "missing": "、".join(z for z, _ in missing)},
                {"account": label, "missing": ", ".join(e for _, e in missing)})))
        else:
            out.append(passed(rule, A, account, f"{label} 揭露組織名稱及聯絡方式",
                              f"{label}: shows the organization's name and contact"))
    return out


def privacy_policy_review_stale(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-008: the platform privacy policy of an official account was not reviewed within the period."""
    cfg = context.settings
    today = context.today
    out: list[Finding] = []
    for account in facts.social_accounts:
        if not account.official:
            continue
        label = f"{account.platform} {account.handle}"
        reviewed = account.privacy_policy_reviewed_on
        if reviewed is None:
            zh, en = "從未檢視", "was never reviewed"
        elif (today - reviewed).days > cfg.privacy_review_days:
            zh = f"最近檢視於 {iso(reviewed)}，已逾 {cfg.privacy_review_days} 天"
            en = f"was last reviewed on {iso(reviewed)}, over {cfg.privacy_review_days} days ago"
        else:
            out.append(passed(rule, A, account, f"{label} 隱私權政策於 {iso(reviewed)} 檢視",
                              f"{label}: privacy policy reviewed on {iso(reviewed)}"))
            continue
        out.append(fail(rule, A, account, message(rule, {"account": label, "detail": zh},
                                                  {"account": label, "detail": en}),
                        {"privacy_policy_reviewed_on": iso(reviewed)}))
    return out


def _no_social_media(rule: Rule, facts: RegisterFacts) -> list[Finding] | None:
    answered_no = (facts.answers.get("staff_use_social_media") is False
                   and facts.answers.get("runs_official_social_media") is False and not facts.social_accounts)
    if answered_no:
        return [not_applicable(rule, "policies", "未開放員工使用社群媒體且未經營官方帳號",
                               "Staff do not use social media for work and no official account is run")]
    return None


def social_media_policy_missing(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-009: no social media use policy drawn up at all (10.1 says 擬定; approval and review are not in it)."""
    none = _no_social_media(rule, facts)
    if none is not None:
        return none
    drawn_up = [p for p in facts.policies if p.kind is m.PolicyKind.SOCIAL_MEDIA_USE]
    if not drawn_up:
        return [fail(rule, "policies", m.PolicyKind.SOCIAL_MEDIA_USE.value, message(
            rule, {"detail": "未訂定"}, {"detail": "none drawn up"}))]
    current = max(drawn_up, key=lambda p: (p.approved_on or date.min, p.version))
    return [passed(rule, "policies", current, f"已訂定社群媒體使用政策（版本 {current.version}）",
                   f"A social media use policy is drawn up (version {current.version})")]


def social_media_policy_missing_or_stale(rule: Rule, facts: RegisterFacts,
                                         context: RegisterCheckContext) -> list[Finding]:
    """REG-018 (good practice, the 2022 successor edition): no approved social media use policy, or the approved
    one is past its review."""
    cfg = context.settings
    today = context.today
    none = _no_social_media(rule, facts)
    if none is not None:
        return none
    approved = [p for p in facts.policies if p.kind is m.PolicyKind.SOCIAL_MEDIA_USE and p.approved]
    if not approved:
        return [fail(rule, "policies", m.PolicyKind.SOCIAL_MEDIA_USE.value, message(
            rule, {"detail": "無已核定之政策"}, {"detail": "no approved policy"}))]
    current = max(approved, key=lambda p: (p.approved_on or date.min, p.version))
    if current.next_review is not None:
        stale = current.next_review < today
        zh = f"版本 {current.version} 應於 {iso(current.next_review)} 前檢視"
        en = f"version {current.version} was due for review on {iso(current.next_review)}"
    else:
        stale = current.approved_on is None or (today - current.approved_on).days > cfg.policy_review_days
        zh = f"版本 {current.version} 核定於 {iso(current.approved_on)}，已逾 {cfg.policy_review_days} 天未檢視"
        en = (f"version {current.version} approved on {iso(current.approved_on)} is over "
              f"{cfg.policy_review_days} days old")
    if stale:
        return [fail(rule, "policies", current, message(rule, {"detail": zh}, {"detail": en}))]
    return [passed(rule, "policies", current, f"社群媒體使用政策 {current.version} 已核定且在檢視期限內",
                   f"Social media use policy {current.version} is approved and within its review period")]


_DONE = {m.DeviceStatus.WIPED, m.DeviceStatus.REASSIGNED, m.DeviceStatus.RETURNED, m.DeviceStatus.RETIRED}


def departed_staff_device_not_wiped(rule: Rule, facts: RegisterFacts, context: RegisterCheckContext) -> list[Finding]:
    """REG-010: a device of a person who left or moved (14.2: 異動 covers both) not wiped, returned, reassigned
    or (after a move) reconfigured within the configured days."""
    cfg = context.settings
    today = context.today
    out: list[Finding] = []
    for change in facts.staff_changes:
        if change.change not in (m.StaffChangeKind.DEPART, m.StaffChangeKind.MOVE):
            continue
        moved = change.change is m.StaffChangeKind.MOVE
        deadline = change.effective_on + timedelta(days=cfg.device_wipe_days)
        reconfigured = change.devices_reconfigured_on if moved else None
        for device in facts.devices:
            if device.owner != change.person or (device.status_changed_on and device.status_changed_on
                                                 < change.effective_on - timedelta(days=365)):
                continue
            done = device.status in _DONE
            values = {"person": change.person, "departed": iso(change.effective_on), "device": device.device_id}
            if done and device.status_changed_on is not None and device.status_changed_on <= deadline:
                out.append(passed(rule, "devices", device,
                                  f"{device.device_id} 已於 {iso(device.status_changed_on)} {device.status.value}",
                                  f"{device.device_id}: {device.status.value} on {iso(device.status_changed_on)}",
                                  key=change.key()))
                continue
            if reconfigured is not None and change.effective_on <= reconfigured <= deadline:
                out.append(passed(rule, "devices", device, f"{device.device_id} 於調動後 {iso(reconfigured)} 重新配置",
                                  f"{device.device_id}: reconfigured on {iso(reconfigured)} after the move",
                                  key=change.key()))
                continue
            if not done and reconfigured is None and today <= deadline:
                continue
            if done:
                zh = f"遲至 {iso(device.status_changed_on)} 才處理（期限 {iso(deadline)}）"
                en = f"was handled only on {iso(device.status_changed_on)} (due {iso(deadline)})"
            elif reconfigured is not None:
                zh = f"調動後遲至 {iso(reconfigured)} 才重新配置（期限 {iso(deadline)}）"
                en = f"was reconfigured only on {iso(reconfigured)} after the move (due {iso(deadline)})"
            else:
                what_zh, what_en = ("調動", "move") if moved else ("離職", "departure")
                zh = (f"{what_zh}後仍為 {device.status.value}，未於 {cfg.device_wipe_days} 天內清除或重新配置")
                en = (f"is still {device.status.value} after the {what_en}; not wiped or reconfigured within "
                      f"{cfg.device_wipe_days} days")
            out.append(fail(rule, "devices", device, message(rule, {**values, "detail": zh},
                                                             {**values, "detail": en}),
                            {"status": device.status.value, "due": iso(deadline), "change": change.change.value},
                            key=change.key()))
    return out


def byod_agreement_missing_expired_or_unreviewed(rule: Rule, facts: RegisterFacts,
                                                 context: RegisterCheckContext) -> list[Finding]:
    """REG-011: a BYOD device in use with no signed agreement in force, or one not reviewed in the period."""
    cfg = context.settings
    today = context.today
    out: list[Finding] = []
    for device in facts.devices:
        if device.ownership is not m.Ownership.BYOD or device.status is not m.DeviceStatus.IN_USE:
            continue
        agreements = [a for a in facts.byod_agreements if a.device_id == device.device_id]
        current = [a for a in agreements if a.valid_from <= today <= a.valid_until]
        values = {"device": device.device_id, "holder": device.owner}
        problem: tuple[str, str] | None = None
        if not agreements:
            problem = ("無 BYOD 使用協議", "no BYOD agreement")
        elif not current:
            last = max(a.valid_until for a in agreements)
            problem = (f"協議已於 {iso(last)} 到期", f"the agreement expired on {iso(last)}")
        else:
            agreement = max(current, key=lambda a: a.valid_until)
            if agreement.signed_on is None:
                problem = ("協議未簽署", "the agreement is not signed")
            elif agreement.last_review is None or (today - agreement.last_review).days > cfg.byod_review_days:
                problem = (f"協議逾 {cfg.byod_review_days} 天未檢視（最近 {iso(agreement.last_review)}）",
                           f"not reviewed in {cfg.byod_review_days} days (last {iso(agreement.last_review)})")
        if problem is None:
            out.append(passed(rule, "devices", device, f"{device.device_id} 之 BYOD 協議有效且已檢視",
                              f"{device.device_id}: BYOD agreement in force and reviewed"))
        else:
            out.append(fail(rule, "devices", device, message(rule, {**values, "detail": problem[0]},
                                                             {**values, "detail": problem[1]})))
    return out


def app_release_without_scan_or_vendor_evidence(rule: Rule, facts: RegisterFacts,
                                                context: RegisterCheckContext) -> list[Finding]:
    """REG-012: an app release with no passed pre-release scan and no acceptable vendor evidence; vendor
    evidence stands in for the scan only where the source code cannot be obtained (17.2)."""
    out: list[Finding] = []
    apps = {a.app_id: a for a in facts.apps}
    for release in facts.app_releases:
        label = f"{release.app_id} {release.version}"
        values = {"app": release.app_id, "version": release.version}
        if release.scan_outcome is m.ScanOutcome.PASSED:
            out.append(passed(rule, "app-releases", release, f"{label}：上架前檢測通過",
                              f"{label}: passed pre-release scan"))
            continue
        if not release.vendor_evidence:
            out.append(fail(rule, "app-releases", release, message(rule, values, values),
                            {"scan_outcome": release.scan_outcome.value}))
            continue
        app = apps.get(release.app_id)
        if app is None:
            out.append(undetermined(rule, "app-releases", release,
                                    f"{label}：僅有廠商佐證，但 App 未登錄，無法判斷可否取得原始碼（第17條第2項）",
                                    f"{label}: vendor evidence only, and the app is not registered, so whether its "
                                    "source can be obtained (article 17.2) is unknown"))
        elif app.source_available:
            out.append(fail(rule, "app-releases", release, text(
                f"{label}：可取得原始碼，應經程式原始碼檢測或掃描；廠商佐證僅適用於無法取得原始碼者（第17條第2項）",
                f"{label}: the source can be obtained, so it must be scanned or reviewed; vendor evidence is "
                "acceptable only where the source cannot be obtained (article 17.2)"),
                {"scan_outcome": release.scan_outcome.value, "source_available": True}))
        else:
            out.append(passed(rule, "app-releases", release, f"{label}：無法取得原始碼，已取得廠商佐證",
                              f"{label}: source not obtainable; vendor evidence received"))
    return out


def privacy_policy_not_understood_in_advance(rule: Rule, facts: RegisterFacts,
                                             context: RegisterCheckContext) -> list[Finding]:
    """REG-023: the organization did not record understanding the platform's privacy policy before it began
    operating the official account (11.1 「應事先了解」); unknown when the start of operation is not recorded."""
    out: list[Finding] = []
    for account in facts.social_accounts:
        if not account.official:
            continue
        label = f"{account.platform} {account.handle}"
        understood, since = account.privacy_policy_understood_on, account.operated_since
        if understood is None:
            out.append(fail(rule, A, account, message(
                rule, {"account": label, "detail": "未記錄經營前了解平台隱私權政策"},
                {"account": label, "detail": "no record of understanding the platform's privacy policy before "
                                             "operating the account"}), {"operated_since": iso(since)}))
        elif since is None:
            out.append(undetermined(rule, A, account, f"{label} 未記錄開始經營日，無法判斷是否事先了解隱私權政策",
                                    f"{label}: the date the account began operating is not recorded, so whether the "
                                    "policy was understood in advance is unknown"))
        elif understood > since:
            out.append(fail(rule, A, account, message(
                rule, {"account": label, "detail": f"於 {iso(understood)} 始了解，晚於開始經營日 {iso(since)}"},
                {"account": label, "detail": f"understood on {iso(understood)}, after operating began on "
                                             f"{iso(since)}"}),
                {"operated_since": iso(since), "privacy_policy_understood_on": iso(understood)}))
        else:
            out.append(passed(rule, A, account, f"{label} 於 {iso(understood)} 事先了解隱私權政策",
                              f"{label}: privacy policy understood on {iso(understood)}, before operating"))
    return out
