"""The relation kinds: how each kind of fact is drawn as a relationship node.

One table ties together the relation types of the annotation conventions
(``licence_grant``, ``partnership``, ...), the ontology classes of the relationship
nodes, the role properties that link them to organisations and places, and the
properties that identify a node (and so its IRI).

Examples
--------
>>> kind = RELATION_KINDS["licence_grant"]
>>> kind.cls == CKG.Licence, kind.subject_role == CKG.issuer, kind.object_role == CKG.licensee
(True, True, True)
>>> kind_of_class(CKG.Partnership).name
'partnership'
>>> iri = identity_iri(CKG.Partnership, {CKG.party: ["id:a", "id:b"], CKG.note: "x"})
>>> iri == identity_iri(CKG.Partnership, {CKG.party: ["id:b", "id:a"]})
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from carrierkg.ontology.namespaces import CKG, STATUS, relationship_iri

__all__ = [
    "IDENTITY",
    "RELATIONSHIP_CLASSES",
    "RELATION_KINDS",
    "ROLE_PROPERTIES",
    "RelationKind",
    "identity_iri",
    "kind_of_class",
]


@dataclass(frozen=True)
class RelationKind:
    """One kind of relation between two things, drawn as a relationship node.

    ``subject_role``/``object_role`` are the properties from the node to the subject and
    the object of the relation as the annotation conventions direct it (for example a
    licence grant runs regulator -> licensee, so ``subject_role`` is ``ckg:issuer``).
    ``symmetric`` relations use the same role for both ends. ``status`` is the status the
    node must have (``supplier_removed`` is a supply relationship with status removed).
    """

    name: str
    cls: str
    subject_role: str
    object_role: str
    symmetric: bool = False
    status: str | None = None
    directed: bool = True
    label: str = ""

    @property
    def roles(self) -> tuple[str, ...]:
        return (self.subject_role,) if self.symmetric else (self.subject_role, self.object_role)


_KINDS = [
    RelationKind("licence_grant", CKG.Licence, CKG.issuer, CKG.licensee, label="licensed"),
    RelationKind("licence_application", CKG.LicenceApplication, CKG.applicant, CKG.addressee,
                 status=STATUS.applied, label="applied for a licence from"),
    RelationKind("joint_venture", CKG.JointVentureFormation, CKG.parent, CKG.venture,
                 label="formed the joint venture"),
    RelationKind("consortium_membership", CKG.ConsortiumMembership, CKG.member, CKG.venture,
                 label="is a member of"),
    RelationKind("infrastructure_sharing", CKG.InfrastructureSharingDeal, CKG.party, CKG.party,
                 symmetric=True, directed=False, label="shares infrastructure with"),
    RelationKind("partnership", CKG.Partnership, CKG.party, CKG.party, symmetric=True,
                 directed=False, label="partners with"),
    RelationKind("acquisition", CKG.Acquisition, CKG.acquirer, CKG.target, label="acquired"),
    RelationKind("subsidiary", CKG.Ownership, CKG.subsidiary, CKG.owner, label="is owned by"),
    RelationKind("supplier", CKG.SupplyRelationship, CKG.supplier, CKG.customer,
                 status=STATUS.active, label="supplies"),
    RelationKind("supplier_removed", CKG.SupplyRelationship, CKG.supplier, CKG.customer,
                 status=STATUS.removed, label="was removed from"),
    RelationKind("regulates", CKG.RegulatoryMandate, CKG.regulator, CKG.jurisdiction,
                 label="regulates"),
    RelationKind("operates_in", CKG.MarketPresence, CKG.operator, CKG.market, label="operates in"),
]

#: Relation kinds by their annotation name.
RELATION_KINDS: dict[str, RelationKind] = {k.name: k for k in _KINDS}

#: Every relationship class.
RELATIONSHIP_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(k.cls for k in _KINDS))

#: Every property that links a relationship node to an organisation or place.
ROLE_PROPERTIES: tuple[str, ...] = tuple(dict.fromkeys(r for k in _KINDS for r in k.roles))

#: The properties whose values identify a relationship node of each class. Two statements
#: with the same class and the same values for these are the same relationship, whatever
#: else they say (dates, notes, values, evidence): their IRIs are equal.
IDENTITY: dict[str, tuple[str, ...]] = {
    CKG.Licence: (CKG.issuer, CKG.licensee, CKG.licenceType, CKG.jurisdiction),
    CKG.LicenceApplication: (CKG.applicant, CKG.addressee, CKG.licenceType, CKG.jurisdiction),
    CKG.JointVentureFormation: (CKG.parent, CKG.venture),
    CKG.ConsortiumMembership: (CKG.member, CKG.venture),
    CKG.InfrastructureSharingDeal: (CKG.party,),
    CKG.Partnership: (CKG.party,),
    CKG.Acquisition: (CKG.acquirer, CKG.target),
    CKG.Ownership: (CKG.subsidiary, CKG.owner),
    CKG.SupplyRelationship: (CKG.supplier, CKG.customer, CKG.status),
    CKG.RegulatoryMandate: (CKG.regulator, CKG.jurisdiction),
    CKG.MarketPresence: (CKG.operator, CKG.market),
}


def kind_of_class(cls: str, status: str | None = None) -> RelationKind:
    """The relation kind drawn by a relationship class (and status, for supply)."""
    for kind in _KINDS:
        if kind.cls == cls and (kind.status is None or status is None or kind.status == status):
            if kind.cls == CKG.SupplyRelationship and status is not None and kind.status != status:
                continue
            return kind
    raise KeyError(cls)


def identity_iri(cls: str, values: Mapping[str, object]) -> str:
    """The IRI of a relationship node of class ``cls`` with these property values.

    ``values`` maps property IRIs to a value or a collection of values; properties that do
    not identify the class are ignored.
    """
    try:
        keys = IDENTITY[cls]
    except KeyError:
        raise ValueError(f"not a relationship class: {cls!r}") from None
    return relationship_iri(cls, {p: values.get(p) for p in keys})
