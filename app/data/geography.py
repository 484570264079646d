"""Regions, districts and communities of Kyrgyzstan and Tajikistan loaded by ``init-db``.

Regions are the real first-level divisions (ISO 3166-2 codes). Districts are real rayons and
nohiyas; the communities are a believable sample of ayil aimaks, jamoats and mahallas in each,
enough for pilots and demos. Administrators add more from the admin pages.
"""

from __future__ import annotations

from collections.abc import Iterator

#: {country code: [(region code, region name, [(district suffix, district name, [communities])])]}
GEOGRAPHY: dict[str, list[tuple[str, str, list[tuple[str, str, list[str]]]]]] = {
    "KG": [
        (
            "KG-B",
            "Batken Region",
            [
                ("BTK", "Batken District", ["Kyshtut", "Samarkandek", "Ak-Sai", "Kara-Bak"]),
                ("KDJ", "Kadamjay District", ["Kadamjay", "Aidarken", "Orozbekov", "Halmion"]),
                ("LLK", "Leilek District", ["Isfana", "Katran", "Kulundu", "Toguz-Bulak"]),
            ],
        ),
        (
            "KG-C",
            "Chuy Region",
            [
                ("ALM", "Alamudun District", ["Lebedinovka", "Vasilyevka", "Kok-Jar", "Baitik"]),
                ("SKL", "Sokuluk District", ["Sokuluk", "Novopavlovka", "Belovodskoe", "Shopokov"]),
                ("YAT", "Ysyk-Ata District", ["Kant", "Ivanovka", "Nurmanbet"]),
                ("KMN", "Kemin District", ["Kemin", "Orlovka", "Jany-Alysh"]),
            ],
        ),
        (
            "KG-Y",
            "Issyk-Kul Region",
            [
                ("AKS", "Ak-Suu District", ["Teploklyuchenka", "Jergez", "Boz-Uchuk"]),
                ("TYP", "Tyup District", ["Tyup", "Santash", "Kuturgu"]),
                ("JOG", "Jeti-Oguz District", ["Kyzyl-Suu", "Darkhan", "Barskoon"]),
            ],
        ),
        (
            "KG-J",
            "Jalal-Abad Region",
            [
                ("SUZ", "Suzak District", ["Suzak", "Barpy", "Kyzyl-Tuu", "Yrys"]),
                ("BKG", "Bazar-Korgon District", ["Bazar-Korgon", "Arstanbap", "Kengesh", "Seidikum"]),
                ("NKN", "Nooken District", ["Massy", "Kochkor-Ata", "Shamaldy-Sai"]),
                ("AKY", "Aksy District", ["Kerben", "Kara-Suu (Aksy)", "Jany-Jol"]),
            ],
        ),
        (
            "KG-N",
            "Naryn Region",
            [
                ("ATB", "At-Bashy District", ["At-Bashy", "Kara-Suu (At-Bashy)", "Kazybek"]),
                ("KCK", "Kochkor District", ["Kochkor", "Kum-Dobo", "Semiz-Bel"]),
            ],
        ),
        (
            "KG-O",
            "Osh Region",
            [
                (
                    "KSU",
                    "Kara-Suu District",
                    ["Kashgar-Kyshtak", "Papan", "Otuz-Adyr", "Nariman", "Toloikon"],
                ),
                ("ARV", "Aravan District", ["Mangyt", "Kerme-Too", "Nooruz", "Tepe-Korgon"]),
                ("UZG", "Uzgen District", ["Myrza-Ake", "Kurshab", "Jylandy", "Kyzyl-Too"]),
                ("NKT", "Nookat District", ["Kok-Jar (Nookat)", "Kyzyl-Oktyabr", "Gulistan", "Isanov"]),
            ],
        ),
        (
            "KG-T",
            "Talas Region",
            [
                ("TLS", "Talas District", ["Kum-Aryk", "Aral", "Ak-Jar"]),
                ("BKA", "Bakay-Ata District", ["Bakay-Ata", "Kyzyl-Adyr", "Ozgorush"]),
            ],
        ),
        (
            "KG-GB",
            "Bishkek City",
            [
                ("LEN", "Leninsky District", ["Ak-Orgo", "Kalys-Ordo", "Ala-Too (Bishkek)"]),
                ("OKT", "Oktyabrsky District", ["Asanbai", "Kara-Jygach", "Tunguch"]),
                ("PER", "Pervomaisky District", ["Ak-Bosogo", "Kelechek"]),
                ("SVR", "Sverdlovsky District", ["Ak-Ordo", "Altyn-Kazyk", "Dordoi"]),
            ],
        ),
        (
            "KG-GO",
            "Osh City",
            [
                (
                    "OSH",
                    "Osh City",
                    ["Cheremushki", "Amir-Timur", "Kurmanjan-Datka", "Turan", "Kyzyl-Kyshtak"],
                ),
            ],
        ),
    ],
    "TJ": [
        (
            "TJ-SU",
            "Sughd Region",
            [
                ("ISF", "Isfara District", ["Chorkuh", "Surkh", "Shahrak", "Navgilem"]),
                ("KNB", "Konibodom District", ["Mahram", "Navbahor", "Ittifoq"]),
                ("SPT", "Spitamen District", ["Nov", "Kurkat", "Mehrobod"]),
                ("GAF", "Bobojon Ghafurov District", ["Ovchi-Kalacha", "Unji", "Khistevarz", "Isfisor"]),
                ("IST", "Istaravshan District", ["Kalininobod", "Poshkhurd", "Navobod"]),
                ("PNJ", "Panjakent District", ["Sarazm", "Rudaki (Panjakent)", "Khalifa Hasan", "Shing"]),
                ("ZFR", "Zafarobod District", ["Zafarobod", "Khavotog", "Ruzrot"]),
            ],
        ),
        (
            "TJ-KT",
            "Khatlon Region",
            [
                ("BKH", "Bokhtar District", ["Navobod (Bokhtar)", "Zargar", "Kushoniyon"]),
                ("KUL", "Kulob District", ["Dahanai Kiik", "Zarbdor", "Ziraki"]),
                ("VKH", "Vakhsh District", ["Tojikiston", "Kirov", "Guliston (Vakhsh)"]),
                ("JBL", "Jaloliddini Balkhi District", ["Uzun", "Navkoram", "Jura Nazarov"]),
                ("SHT", "Shahrituz District", ["Obshoron", "Pakhtaobod", "Jura Rahmonov"]),
                ("QUB", "Qubodiyon District", ["Navobod (Qubodiyon)", "Tugalang", "Istiqlol"]),
                ("HMD", "Hamadoni District", ["Dashtigul", "Kalinin", "Panjob"]),
            ],
        ),
        (
            "TJ-GB",
            "Gorno-Badakhshan Autonomous Region",
            [
                ("KHR", "Khorog City", ["Khorog Centre", "Tem", "Bar-Khorog"]),
                ("RSH", "Rushon District", ["Rushon", "Bartang", "Bopasor"]),
                ("SHG", "Shughnon District", ["Porshinev", "Vankala", "Roshtqala"]),
            ],
        ),
        (
            "TJ-RA",
            "Districts of Republican Subordination",
            [
                ("VHD", "Vahdat District", ["Simiganj", "Khakimi", "Romit"]),
                ("RSHT", "Rasht District", ["Gharm", "Navdonak", "Askalon"]),
                ("TRZ", "Tursunzoda District", ["Karatogh", "Regar", "Shodmon Yusuf"]),
                ("HSR", "Hisor District", ["Khonaqoh", "Almosi", "Navabad (Hisor)"]),
                ("RDK", "Rudaki District", ["Somoniyon", "Chorgulteppa", "Sultonobod", "Choryakkoron"]),
            ],
        ),
        (
            "TJ-DU",
            "Dushanbe City",
            [
                ("SNO", "Sino District", ["Zarafshon", "Vahdat (Sino)", "Sino-2"]),
                ("FRD", "Firdavsi District", ["Shohmansur (Firdavsi)", "Mahallai 91", "Kohi Vahdat"]),
                ("ISM", "Ismoili Somoni District", ["Mahallai Navobod", "Mahallai Guliston"]),
                ("SHM", "Shohmansur District", ["Zarnisor", "Sadbarg"]),
            ],
        ),
    ],
}


def iter_districts() -> Iterator[tuple[str, str, str, str, str, list[str]]]:
    """Yield ``(country, region code, region name, district code, district name, communities)``."""
    for country, regions in GEOGRAPHY.items():
        for region_code, region_name, districts in regions:
            for suffix, district_name, communities in districts:
                yield country, region_code, region_name, f"{region_code}-{suffix}", district_name, communities
