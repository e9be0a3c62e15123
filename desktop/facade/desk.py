"""AppFacade: one per signed-in person; its doors group the services by what a person does."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.billing.model import PayerClass
    from desktop.billing.tables import RuleSet
    from desktop.facade.admin import AdminDoor
    from desktop.facade.chair import ChairDoor
    from desktop.facade.day import DayDoor
    from desktop.facade.exports import ExportsDoor
    from desktop.facade.reports import ReportsDoor
    from desktop.facade.review import ReviewDoor
    from desktop.services.people.identity import SignedInPerson
    from desktop.services.people.roles import Permission
    from desktop.services.storage.store import Store
    from desktop.services.visits.drafts import DraftStore


@dataclass(frozen=True)
class Desk:
    """What every door holds: the open store and who is signed in (fixed for the facade's life)."""

    store: Store
    person: SignedInPerson

    @property
    def user(self) -> str:
        return self.person.username


@dataclass(eq=False)
class AppFacade:
    """The doorway of one signed-in person. A new person signing in (a hand-over at the lock screen) gets a new
    facade; pages ask the window for the current one, never keep a store or a user name of their own."""

    store: Store
    person: SignedInPerson
    drafts: DraftStore
    database_label: str
    desk: Desk = field(init=False)

    def __post_init__(self) -> None:
        self.desk = Desk(self.store, self.person)

    @property
    def user(self) -> str:
        return self.person.username

    @property
    def rules(self) -> RuleSet:
        """The rules the store was opened with (payer labels, catalog); no database read."""
        from desktop.billing.tables import RuleSet, load_rules

        rules = getattr(self.store, "rules", None)
        return rules if isinstance(rules, RuleSet) else load_rules()

    def payer_labels(self) -> dict[PayerClass, str]:
        """Each payer class's label, in the order of PayerClass (the entry form's choices)."""
        from desktop.billing.model import PayerClass

        labels = {payer: policy.label for payer, policy in self.rules.payer_policies.items()}
        return {payer: labels[payer] for payer in PayerClass if payer in labels}

    def permissions(self) -> frozenset[Permission]:
        """What this person may do, so screens can hide what would be refused (a database read)."""
        from desktop.services.people.roles import permissions_of

        return permissions_of(self.store, self.user)

    def draft_saved_as(self, request_id: str) -> int | None:
        """The record saved from the form with this request id, if any: its draft is stale, not unsaved."""
        from desktop.services.visits.drafts import saved_record_id

        return saved_record_id(self.store, request_id)

    @cached_property
    def chair(self) -> ChairDoor:
        from desktop.facade.chair import ChairDoor

        return ChairDoor(self.desk)

    @cached_property
    def day(self) -> DayDoor:
        from desktop.facade.day import DayDoor

        return DayDoor(self.desk)

    @cached_property
    def review(self) -> ReviewDoor:
        from desktop.facade.review import ReviewDoor

        return ReviewDoor(self.desk)

    @cached_property
    def reports(self) -> ReportsDoor:
        from desktop.facade.reports import ReportsDoor

        return ReportsDoor(self.desk)

    @cached_property
    def exports(self) -> ExportsDoor:
        from desktop.facade.exports import ExportsDoor

        return ExportsDoor(self.desk)

    @cached_property
    def admin(self) -> AdminDoor:
        from desktop.facade.admin import AdminDoor

        return AdminDoor(self.desk)
