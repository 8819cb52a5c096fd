"""The per-school services page: /<uai>/administration/services/"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from schools import modules
from schools.access import city_admin_allowed
from schools.forms import ServiceStateForm
from schools.models import SchoolService
from schools.permissions import MANAGE_SERVICES
from schools.requests import school_with, signed_in
from schools.selectors import module_state, service_states
from schools.services import set_service_state


@dataclass
class ServiceRow:
    module: modules.Module
    state: str
    state_label: str | Promise
    external_url: str
    form: ServiceStateForm


_CONFIRMATIONS = {
    SchoolService.State.ON: gettext_lazy("Le service « %(module)s » est activé."),
    SchoolService.State.OFF: gettext_lazy("Le service « %(module)s » est désactivé."),
    SchoolService.State.EXTERNAL: gettext_lazy("Le service « %(module)s » est remplacé par un lien vers %(url)s."),
}


@city_admin_allowed
@require_http_methods(["GET", "POST"])
def services(request: HttpRequest, uai: str) -> HttpResponse:
    school = school_with(request, MANAGE_SERVICES)
    bound_form: ServiceStateForm | None = None
    code = ""
    status = 200
    if request.method == "POST":
        code = request.POST.get("module", "")
        module = modules.get(code)
        if module is None:
            messages.error(request, _("Ce service n'existe pas : rien n'a été modifié."))
            status = 400
        else:
            bound_form = ServiceStateForm(request.POST, prefix=module.code)
            if bound_form.is_valid():
                state = bound_form.cleaned_data["state"]
                url = bound_form.cleaned_data["external_url"]
                try:
                    set_service_state(
                        school=school, module=module.code, state=state, external_url=url, changed_by=signed_in(request)
                    )
                except ValidationError as error:
                    bound_form.add_error(None, error)
                else:
                    messages.success(request, str(_CONFIRMATIONS[state]) % {"module": module.label, "url": url})
                    return redirect("schools:services", uai=school.uai)
            status = 400
    states = service_states(school)
    rows = []
    for module in modules.all_modules():
        state, url = module_state(states, module)
        form = (
            bound_form
            if bound_form is not None and module.code == code
            else ServiceStateForm(prefix=module.code, initial={"state": state, "external_url": url})
        )
        rows.append(ServiceRow(module, state, SchoolService.State(state).label, url, form))
    return render(request, "schools/services.html", {"school": school, "rows": rows}, status=status)
