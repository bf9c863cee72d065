from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IdType, ServiceRequest


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ServiceRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("location"), queryset=None)
    category = forms.ChoiceField(label=_("category"), choices=ServiceRequest.Category.choices)
    priority = forms.ChoiceField(label=_("priority"), choices=ServiceRequest.Priority.choices,
                                 initial=ServiceRequest.Priority.NORMAL)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    photos = PhotosField(label=_("photos (JPEG, PNG or WebP, up to 5)"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CommentForm(forms.Form):
    body = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("your rating"), coerce=int, choices=[(n, f"{n} ★") for n in range(5, 0, -1)])


class ApartmentApplicationForm(forms.Form):
    name = forms.CharField(label=_("employee's name"), max_length=60)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("phone"), max_length=30)
    wanted_from = forms.DateField(label=_("wanted from"), widget=forms.DateInput(attrs={"type": "date"}))
    months = forms.IntegerField(label=_("length of stay (months)"), min_value=1, max_value=60)


class CheckOutRequestForm(forms.Form):
    on = forms.DateField(label=_("check out on"), widget=forms.DateInput(attrs={"type": "date"}))
