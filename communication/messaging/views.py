"""Pages of the messaging: folders, a conversation with its replies, compose (and drafts), a young child's
mailbox for parents where the school allows it, and the direction's rules, switch and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from annuaire.models import Profile, User
from communication.messaging import selectors
from communication.messaging.forms import ComposeForm, PolicyForm, ReplyForm, ReportForm, SuspensionForm, reach_field
from communication.messaging.models import Conversation, Draft, ModerationEvent
from communication.messaging.permissions import MANAGE_MESSAGING, MODERATE_MESSAGES, SUSPEND_MESSAGING, USE_MESSAGING
from communication.messaging.policy import PROFILES, Limits, explain, load_policy
from communication.messaging.recipients import available_groups, school_people, search_people
from communication.messaging.services.moderation import report_message, set_policy, set_suspension
from communication.messaging.services.sending import (
    Files,
    delete_draft,
    mark_read,
    reply,
    save_draft,
    send_message,
    set_trashed,
)
from schools.access import city_admin_allowed, not_found
from schools.documents import TEACHING_KINDS, download, read_kind
from schools.forms.kit import saved
from schools.models import School
from schools.requests import school_with, signed_in

FOLDER_TITLES = {
    selectors.INBOX: gettext_lazy("Boîte de réception"),
    selectors.SENT: gettext_lazy("Messages envoyés"),
    selectors.TRASH: gettext_lazy("Corbeille"),
}


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


def _folder(request: HttpRequest, folder: str) -> HttpResponse:
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    search = request.GET.get("q", "")[:100]
    context = {
        "school": school,
        "folder": folder,
        "title": FOLDER_TITLES[folder],
        "page": selectors.mailbox(user, school, folder, search=search, page=_page_number(request)),
        "search": search,
        "counts": selectors.folder_counts(user, school),
        "children": selectors.young_children(user, school, load_policy(school)),
    }
    return render(request, "communication/messaging/folder.html", context)


def inbox(request: HttpRequest, uai: str) -> HttpResponse:
    return _folder(request, selectors.INBOX)


def sent(request: HttpRequest, uai: str) -> HttpResponse:
    return _folder(request, selectors.SENT)


def trash(request: HttpRequest, uai: str) -> HttpResponse:
    return _folder(request, selectors.TRASH)


def drafts(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    context = {
        "school": school,
        "folder": selectors.DRAFTS,
        "drafts": selectors.drafts(user, school),
        "counts": selectors.folder_counts(user, school),
    }
    return render(request, "communication/messaging/drafts.html", context)


def conversation(request: HttpRequest, uai: str, conversation_id: int) -> HttpResponse:
    """A conversation's messages; its participants reply, move it to the trash and report a message."""
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    access = selectors.access_conversation(user, school, conversation_id, load_policy(school))
    form = ReplyForm()
    if request.method == "POST":
        if access.participant is None:
            not_found(_("Cette conversation n'existe pas ou vous n'y avez pas accès."))
        action = request.POST.get("action")
        if action in ("trash", "restore"):
            set_trashed(participant=access.participant, trashed=action == "trash")
            messages.success(
                request, _("Conversation mise à la corbeille.") if action == "trash" else _("Conversation restaurée.")
            )
            return redirect("messaging:inbox", uai=school.uai)
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid() and _reply(request, school, access.participant, form):
            return redirect("messaging:conversation", uai=school.uai, conversation_id=conversation_id)
    elif access.participant is not None:
        mark_read(participant=access.participant)
    context = {
        "school": school,
        "thread": selectors.thread(school, access),
        "form": form,
        "report_form": ReportForm(),
    }
    return render(request, "communication/messaging/conversation.html", context)


def _reply(request: HttpRequest, school: School, participant: Any, form: ReplyForm) -> bool:
    files = Files(uploads=request.FILES.getlist("attachments"))
    return saved(
        request,
        form,
        lambda: reply(
            school=school,
            sender=signed_in(request),
            participant=participant,
            body=form.cleaned_data["body"],
            files=files,
        ),
        _("Votre réponse est envoyée."),
    )


def compose(request: HttpRequest, uai: str, draft_id: int | None = None) -> HttpResponse:
    """Write a message to people and groups; search people (saying why some cannot be written to); keep a draft."""
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    policy = load_policy(school)
    draft = selectors.access_draft(user, school, draft_id) if draft_id is not None else None
    data = request.POST if request.method == "POST" else None
    chosen = (
        data.getlist("recipients") if data is not None else (draft.recipients if draft else request.GET.getlist("a"))
    )
    search = (data.get("search", "") if data is not None else "")[:100]
    found = search_people(user, school, policy, search) if search else []
    choices = _choices(user, school, policy, chosen, found)
    initial = {"recipients": chosen, "subject": draft.subject if draft else "", "body": draft.body if draft else ""}
    form = ComposeForm(data, request.FILES or None, choices=choices, initial=initial)
    action = data.get("action", "") if data is not None else ""
    if form.is_valid() and action in ("send", "draft"):
        done = _send(request, school, form, draft) if action == "send" else _draft(request, school, form, draft)
        if done is not None:
            return done
    context = {
        "school": school,
        "form": form,
        "draft": draft,
        "search": search,
        "refused": [(person, explain(user, school, person, policy).reason) for person, allowed in found if not allowed],
        "searched": bool(search),
        "counts": selectors.folder_counts(user, school),
        "folder": "compose",
    }
    return render(request, "communication/messaging/compose.html", context)


def _choices(
    user: User, school: School, policy: Any, chosen: list[str], found: list[tuple[User, bool]]
) -> list[tuple[str, str]]:
    """The groups offered, then the people already chosen and those the search found (allowed ones)."""
    choices = [(group.key, group.label) for group in available_groups(user, school, policy)]
    ids = [int(key[5:]) for key in chosen if key.startswith("user:") and key[5:].isdigit() and len(key) < 25]
    people = {person.pk: person for person in school_people(school, ids)}
    people.update({person.pk: person for person, allowed in found if allowed})
    choices += [(f"user:{pk}", person.get_full_name()) for pk, person in people.items()]
    return choices


def _send(request: HttpRequest, school: School, form: ComposeForm, draft: Draft | None) -> HttpResponse | None:
    """Send the message: to its conversation, or to the sent folder when it went out as several copies."""
    stored = list(draft.attachments.all()) if draft else []
    files = Files(uploads=request.FILES.getlist("attachments"), stored=stored)
    sent: list[Conversation] = []

    def send() -> None:
        sent.extend(send_message(school=school, sender=signed_in(request), files=files, draft=draft, **form.words()))

    if not saved(request, form, send, _("Votre message est envoyé.")):
        return None
    if len(sent) == 1:
        return redirect("messaging:conversation", uai=school.uai, conversation_id=sent[0].pk)
    return redirect("messaging:sent", uai=school.uai)


def _draft(request: HttpRequest, school: School, form: ComposeForm, draft: Draft | None) -> HttpResponse | None:
    """Keep the message as a draft, and show it again."""
    uploads = request.FILES.getlist("attachments")
    kept: list[Draft] = []

    def keep() -> None:
        kept.append(save_draft(school=school, author=signed_in(request), uploads=uploads, draft=draft, **form.words()))

    if not saved(request, form, keep, _("Le brouillon est enregistré.")):
        return None
    return redirect("messaging:draft", uai=school.uai, draft_id=kept[0].pk)


@require_POST
def draft_delete(request: HttpRequest, uai: str, draft_id: int) -> HttpResponse:
    school = school_with(request, USE_MESSAGING)
    delete_draft(draft=selectors.access_draft(signed_in(request), school, draft_id))
    messages.success(request, _("Le brouillon est supprimé."))
    return redirect("messaging:drafts", uai=school.uai)


@require_POST
def report(request: HttpRequest, uai: str, message_id: int) -> HttpResponse:
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    found = selectors.access_message(user, school, message_id)
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    report_message(school=school, reporter=user, message=found, reason=reason)
    messages.success(request, _("Le message est signalé à la direction de l'établissement."))
    return redirect("messaging:conversation", uai=school.uai, conversation_id=found.conversation_id)


def attachment(request: HttpRequest, uai: str, file_id: int) -> HttpResponseBase:
    """A file of a message, as a download, to the conversation's participants only."""
    school = school_with(request, USE_MESSAGING)
    found = selectors.access_attachment(signed_in(request), school, file_id, load_policy(school))
    try:
        file = found.file.open("rb")
    except FileNotFoundError:
        not_found(_("Ce document n'existe pas ou vous n'y avez pas accès."))
    kind = read_kind(file, found.file.name or "", TEACHING_KINDS)
    stem = slugify(found.name.rsplit(".", 1)[0])[:60] or "document"
    return download(file, kind=kind, stem=stem)


def child(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """A young child's conversations, read by their parent where the school allows it."""
    school = school_with(request, USE_MESSAGING)
    user = signed_in(request)
    found = selectors.young_children(user, school, load_policy(school)).filter(pk=student_id).first()
    if found is None:
        not_found(_("Les messages de cet élève ne vous sont pas accessibles."))
    context = {"school": school, "child": found, "rows": selectors.child_mailbox(school, found)}
    return render(request, "communication/messaging/child.html", context)


def rules(request: HttpRequest, uai: str) -> HttpResponse:
    """The policy matrix, the sending limits and the parents' option, edited by the head."""
    school = school_with(request, MANAGE_MESSAGING)
    policy = load_policy(school)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        set_policy(
            school=school,
            by=signed_in(request),
            reach={(s, r): data[reach_field(s, r)] for s in PROFILES for r in PROFILES},
            limits={p: Limits(data[f"max_recipients_{p}"], data[f"max_per_minute_{p}"]) for p in PROFILES},
            parents_read_young_children=data["parents_read_young_children"],
        )
        messages.success(request, _("Les règles de la messagerie sont enregistrées."))
        return redirect("messaging:rules", uai=school.uai)
    context = {"school": school, "form": form, "profiles": PROFILES, "labels": _profile_labels()}
    return render(request, "communication/messaging/rules.html", context)


def _profile_labels() -> list[str]:
    return [str(Profile(p).label) for p in PROFILES]


@city_admin_allowed
def suspension(request: HttpRequest, uai: str) -> HttpResponse:
    """The switch that stops sending for students and/or parents at once (head or city admin)."""
    school = school_with(request, SUSPEND_MESSAGING)
    current = load_policy(school).settings
    initial = {"students": current.students_suspended, "parents": current.parents_suspended}
    form = SuspensionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_suspension(
            school=school,
            by=signed_in(request),
            students=form.cleaned_data["students"],
            parents=form.cleaned_data["parents"],
        )
        messages.success(request, _("La suspension de la messagerie est enregistrée."))
        return redirect("messaging:suspension", uai=school.uai)
    return render(
        request, "communication/messaging/suspension.html", {"school": school, "form": form, "current": current}
    )


def reports(request: HttpRequest, uai: str) -> HttpResponse:
    """The reported messages and the moderation log, for the direction."""
    school = school_with(request, MODERATE_MESSAGES)
    context = {
        "school": school,
        "reports": selectors.reports(school),
        "events": selectors.moderation_log(school),
        "kinds": dict(ModerationEvent.Kind.choices),
    }
    return render(request, "communication/messaging/reports.html", context)
