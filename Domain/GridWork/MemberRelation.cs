namespace Linli.Domain.GridWork;

/// <summary>A member's relation to the head of the household (与户主关系).</summary>
public enum MemberRelation
{
    Head,
    Spouse,
    Child,
    Parent,
    Grandchild,
    Grandparent,
    Sibling,
    ChildInLaw,
    Other,
}
