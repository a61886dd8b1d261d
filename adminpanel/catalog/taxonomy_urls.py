"""URLs of the staff taxonomy pages: taxonomy (the index), then per kind taxonomy-<plural>,
taxonomy-<kind>-create, taxonomy-<kind>-edit and taxonomy-<kind>-delete."""

from django.urls import path

from adminpanel.catalog import taxonomy

urlpatterns = [path("taxonomy/", taxonomy.taxonomy_index, name="taxonomy")]
for key, kind in taxonomy.KINDS.items():
    views = taxonomy.VIEWS[key]
    urlpatterns += [
        path(f"taxonomy/{kind.plural_slug}/", views["list"], name=f"taxonomy-{kind.plural_slug}"),
        path(f"taxonomy/{kind.plural_slug}/new/", views["create"], name=f"taxonomy-{kind.slug}-create"),
        path(f"taxonomy/{kind.plural_slug}/<str:{kind.arg}>/", views["edit"], name=f"taxonomy-{kind.slug}-edit"),
        path(f"taxonomy/{kind.plural_slug}/<str:{kind.arg}>/delete/", views["delete"],
             name=f"taxonomy-{kind.slug}-delete"),
    ]
