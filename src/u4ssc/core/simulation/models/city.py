"""
Python model 'city.py'
Translated using PySD
"""

from pathlib import Path
import numpy as np

from pysd.py_backend.statefuls import NonNegativeInteg, Integ
from pysd import Component

__pysd_version__ = "3.14.3"

__data = {"scope": None, "time": lambda: 0}

_root = Path(__file__).parent


component = Component()

#######################################################################
#                          CONTROL VARIABLES                          #
#######################################################################

_control_vars = {
    "initial_time": lambda: 2020,
    "final_time": lambda: 2050,
    "time_step": lambda: 0.25,
    "saveper": lambda: time_step(),
}


def _init_outer_references(data):
    for key in data:
        __data[key] = data[key]


@component.add(name="Time")
def time():
    """
    Current time of the model.
    """
    return __data["time"]()


@component.add(name="INITIAL TIME", units="year", comp_type="Constant", comp_subtype="Normal")
def initial_time():
    """
    The initial time for the simulation.
    """
    return __data["time"].initial_time()


@component.add(name="FINAL TIME", units="year", comp_type="Constant", comp_subtype="Normal")
def final_time():
    """
    The final time for the simulation.
    """
    return __data["time"].final_time()


@component.add(name="TIME STEP", units="year", comp_type="Constant", comp_subtype="Normal")
def time_step():
    """
    The time step for the simulation.
    """
    return __data["time"].time_step()


@component.add(
    name="SAVEPER",
    units="year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"time_step": 1},
)
def saveper():
    """
    The save time step for the simulation.
    """
    return __data["time"].saveper()


#######################################################################
#                           MODEL VARIABLES                           #
#######################################################################


@component.add(
    name="initial population",
    units="person",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_population():
    """
    City population at the start (city data; default: an assumption of a mid-size city).
    """
    return 100000


@component.add(
    name="net migration",
    units="person/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "net_migration_rate": 1},
)
def net_migration():
    """
    Net moves into the city per year (added to births in the population flow).
    """
    return population() * net_migration_rate()


@component.add(name="birth rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def birth_rate():
    """
    Crude birth rate. Source: Statistics Norway (SSB) 2022, about 10.5 per 1000; assumption for other cities.
    """
    return 0.0105


@component.add(name="death rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def death_rate():
    """
    Crude death rate. Source: SSB 2022, about 8.5 per 1000; assumption elsewhere.
    """
    return 0.0085


@component.add(
    name="net migration rate",
    units="1/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def net_migration_rate():
    """
    Net migration per resident. Assumption (Norwegian towns 0-1 %/year).
    """
    return 0.004


@component.add(
    name="household size",
    units="person/household",
    comp_type="Constant",
    comp_subtype="Normal",
)
def household_size():
    """
    Residents per household. Source: SSB 2023 average 2.1-2.2 persons; assumption elsewhere.
    """
    return 2.2


@component.add(
    name="Households",
    units="household",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "household_size": 1},
)
def households():
    """
    Number of households.
    """
    return population() / household_size()


@component.add(
    name="floor area per person",
    units="m^2/person",
    comp_type="Constant",
    comp_subtype="Normal",
)
def floor_area_per_person():
    """
    Heated floor area per resident, homes and services. Assumption (Norwegian dwellings about 45-55 m2/person).
    """
    return 50


@component.add(
    name="initial efficient share",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_efficient_share():
    """
    Share of floor area built or retrofitted to a low-energy standard at the start. Assumption.
    """
    return 0.2


@component.add(name="retrofit rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def retrofit_rate():
    """
    POLICY LEVER (range 0.005-0.04): share of old floor area deeply retrofitted each year. EU average about 1 %/year (European Commission, Renovation Wave 2020).
    """
    return 0.01


@component.add(name="demolition rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def demolition_rate():
    """
    Share of old floor area demolished per year. Assumption.
    """
    return 0.005


@component.add(name="construction time", units="year", comp_type="Constant", comp_subtype="Normal")
def construction_time():
    """
    Time to close a gap in floor area. Assumption.
    """
    return 3


@component.add(
    name="conventional intensity",
    units="kWh/(m^2*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def conventional_intensity():
    """
    Delivered energy for heat and hot water, old standard. Assumption (Norwegian pre-1980 buildings about 180-250 kWh/m2/year, Enova).
    """
    return 200


@component.add(
    name="efficient intensity",
    units="kWh/(m^2*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def efficient_intensity():
    """
    Delivered heat energy, new or retrofitted (TEK17 level). Assumption.
    """
    return 90


@component.add(
    name="heat energy",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "conventional_floor_area": 1,
        "conventional_intensity": 1,
        "efficient_floor_area": 1,
        "efficient_intensity": 1,
    },
)
def heat_energy():
    """
    Energy for space heat and hot water in buildings.
    """
    return (
        conventional_floor_area() * conventional_intensity()
        + efficient_floor_area() * efficient_intensity()
    )


@component.add(
    name="electric share of heat",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def electric_share_of_heat():
    """
    Share of heat delivered as electricity (heat pumps, panel heaters). Assumption (Norway about 0.7; much lower elsewhere).
    """
    return 0.7


@component.add(
    name="heat electricity",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"heat_energy": 1, "electric_share_of_heat": 1},
)
def heat_electricity():
    """
    Electricity used for heat.
    """
    return heat_energy() * electric_share_of_heat()


@component.add(
    name="fossil heat",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"heat_energy": 1, "electric_share_of_heat": 1},
)
def fossil_heat():
    """
    Heat from oil, gas or non-renewable district heat.
    """
    return heat_energy() * (1 - electric_share_of_heat())


@component.add(
    name="appliance electricity per person",
    units="kWh/(person*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def appliance_electricity_per_person():
    """
    Electricity for appliances, lighting and services per resident. Calibrated from the city's electricity-per-capita KPI when given; else an assumption.
    """
    return 3000


@component.add(name="GJ per kWh", units="GJ/kWh", comp_type="Constant", comp_subtype="Normal")
def gj_per_kwh():
    """
    Unit conversion.
    """
    return 0.0036


@component.add(
    name="Residential thermal energy per capita",
    units="GJ/(person*year)",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"heat_energy": 1, "population": 1, "gj_per_kwh": 1},
)
def residential_thermal_energy_per_capita():
    """
    KPI EN: E: E: 3C (GJ per resident per year; here all buildings).
    """
    return heat_energy() / population() * gj_per_kwh()


@component.add(
    name="initial PV capacity",
    units="kW",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"initial_pv_per_person": 1, "initial_population": 1},
)
def initial_pv_capacity():
    """
    Rooftop PV at the start.
    """
    return initial_pv_per_person() * initial_population()


@component.add(
    name="initial PV per person",
    units="kW/person",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_pv_per_person():
    """
    Rooftop PV per resident at the start. Assumption (Norway 2023 about 0.05 kW per resident); replace with city data.
    """
    return 0.05


@component.add(
    name="PV potential",
    units="kW",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "pv_potential_per_person": 1},
)
def pv_potential():
    """
    Rooftop PV that suitable roofs could hold.
    """
    return population() * pv_potential_per_person()


@component.add(
    name="PV potential per person",
    units="kW/person",
    comp_type="Constant",
    comp_subtype="Normal",
)
def pv_potential_per_person():
    """
    Suitable rooftop PV per resident. Assumption (about 10 m2 of good roof per resident).
    """
    return 2


@component.add(name="PV adoption rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def pv_adoption_rate():
    """
    Share of untapped potential installed per year without support. Assumption.
    """
    return 0.01


@component.add(name="PV support", units="dmnl", comp_type="Constant", comp_subtype="Normal")
def pv_support():
    """
    POLICY LEVER (range 0-2): strength of PV support (subsidy, one-stop shop); 1 doubles the adoption rate. Assumption.
    """
    return 0


@component.add(name="PV lifetime", units="year", comp_type="Constant", comp_subtype="Normal")
def pv_lifetime():
    """
    Panel lifetime. IEA PVPS typical 25-30 years.
    """
    return 25


@component.add(name="PV yield", units="kWh/(kW*year)", comp_type="Constant", comp_subtype="Normal")
def pv_yield():
    """
    Annual output per kW. Assumption for southern Norway (PVGIS about 800-950).
    """
    return 850


@component.add(
    name="PV generation",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"pv_capacity": 1, "pv_yield": 1},
)
def pv_generation():
    """
    Electricity from rooftop PV.
    """
    return pv_capacity() * pv_yield()


@component.add(
    name="initial grid renewable share",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_grid_renewable_share():
    """
    Calibrated from the renewable-energy KPI when given. Assumption otherwise.
    """
    return 0.6


@component.add(
    name="grid decarbonisation rate",
    units="1/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def grid_decarbonisation_rate():
    """
    Share of the remaining fossil grid supply replaced each year. Assumption.
    """
    return 0.03


@component.add(
    name="electricity consumption",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "heat_electricity": 1,
        "population": 1,
        "appliance_electricity_per_person": 1,
        "ev_electricity": 1,
        "public_transport_electricity": 1,
    },
)
def electricity_consumption():
    """
    All electricity used in the city.
    """
    return (
        heat_electricity()
        + appliance_electricity_per_person() * population()
        + ev_electricity()
        + public_transport_electricity()
    )


@component.add(
    name="grid electricity",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electricity_consumption": 1, "pv_generation": 1},
)
def grid_electricity():
    """
    Electricity bought from the grid.
    """
    return float(np.maximum(0, electricity_consumption() - pv_generation()))


@component.add(
    name="renewable electricity",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "pv_generation": 1,
        "electricity_consumption": 1,
        "grid_renewable_share": 1,
        "grid_electricity": 1,
    },
)
def renewable_electricity():
    """
    Renewable part of electricity consumption.
    """
    return (
        float(np.minimum(pv_generation(), electricity_consumption()))
        + grid_electricity() * grid_renewable_share()
    )


@component.add(
    name="Renewable electricity share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"renewable_electricity": 1, "electricity_consumption": 1},
)
def renewable_electricity_share():
    """
    Percent of electricity that is renewable.
    """
    return 100 * renewable_electricity() / electricity_consumption()


@component.add(
    name="final energy",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electricity_consumption": 1, "fossil_heat": 1, "car_fuel_energy": 1},
)
def final_energy():
    """
    All final energy: electricity, fossil heat, car fuel.
    """
    return electricity_consumption() + fossil_heat() + car_fuel_energy()


@component.add(
    name="Renewable energy share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"renewable_electricity": 1, "final_energy": 1},
)
def renewable_energy_share():
    """
    KPI EN: E: E: 1C, percent of final energy that is renewable.
    """
    return 100 * renewable_electricity() / final_energy()


@component.add(
    name="Electricity consumption per capita",
    units="kWh/(person*year)",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electricity_consumption": 1, "population": 1},
)
def electricity_consumption_per_capita():
    """
    KPI EN: E: E: 2C.
    """
    return electricity_consumption() / population()


@component.add(
    name="travel per person",
    units="km/(person*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def travel_per_person():
    """
    Passenger-km per resident per year within and around the city. Assumption (Norwegian travel survey RVU about 9000 km local).
    """
    return 9000


@component.add(
    name="passenger km",
    units="km/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "travel_per_person": 1},
)
def passenger_km():
    """
    All passenger travel.
    """
    return population() * travel_per_person()


@component.add(
    name="base public transport share",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def base_public_transport_share():
    """
    Public transport share of passenger-km at the start (KPI EC: I: T: 4A when given).
    """
    return 0.15


@component.add(name="base cycling share", units="dmnl", comp_type="Constant", comp_subtype="Normal")
def base_cycling_share():
    """
    Cycling and walking share at the start (KPI EC: I: T: 4A when given).
    """
    return 0.05


@component.add(
    name="public transport investment",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def public_transport_investment():
    """
    POLICY LEVER (range 0-1): extra public transport service, as a share of today's; 1 doubles service.
    """
    return 0


@component.add(
    name="public transport elasticity",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def public_transport_elasticity():
    """
    Ridership response to service level. Assumption (literature 0.3-0.7, Litman 2021).
    """
    return 0.5


@component.add(
    name="initial cycle network",
    units="km",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_cycle_network():
    """
    Cycle network at the start (KPI EC: I: T: 3C, km per 100 000 residents, x population).
    """
    return 30


@component.add(
    name="cycling network programme",
    units="km/year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def cycling_network_programme():
    """
    POLICY LEVER (range 0-20): kilometres of cycle network built per year.
    """
    return 2


@component.add(name="cycling elasticity", units="dmnl", comp_type="Constant", comp_subtype="Normal")
def cycling_elasticity():
    """
    Cycling share response to network per resident. Assumption (literature 0.2-0.6).
    """
    return 0.4


@component.add(
    name="cycle network per person",
    units="km/person",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cycle_network": 1, "population": 1},
)
def cycle_network_per_person():
    """
    Network density.
    """
    return cycle_network() / population()


@component.add(
    name="initial cycle network per person",
    units="km/person",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"initial_cycle_network": 1, "initial_population": 1},
)
def initial_cycle_network_per_person():
    """
    Network density at the start.
    """
    return initial_cycle_network() / initial_population()


@component.add(
    name="target public transport share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "base_public_transport_share": 1,
        "public_transport_elasticity": 1,
        "public_transport_investment": 1,
    },
)
def target_public_transport_share():
    """
    Share the system moves toward.
    """
    return float(
        np.minimum(
            0.6,
            base_public_transport_share()
            * (1 + public_transport_elasticity() * public_transport_investment()),
        )
    )


@component.add(
    name="target cycling share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "base_cycling_share": 1,
        "cycling_elasticity": 1,
        "cycle_network_per_person": 1,
        "initial_cycle_network_per_person": 1,
    },
)
def target_cycling_share():
    """
    Share the system moves toward.
    """
    return float(
        np.minimum(
            0.4,
            base_cycling_share()
            * (cycle_network_per_person() / initial_cycle_network_per_person())
            ** cycling_elasticity(),
        )
    )


@component.add(
    name="behaviour change time",
    units="year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def behaviour_change_time():
    """
    Time for travel habits to follow a change in options. Assumption.
    """
    return 4


@component.add(
    name="Car share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"public_transport_share": 1, "cycling_share": 1},
)
def car_share():
    """
    Car share of passenger-km (KPI EC: I: T: 4A, car part).
    """
    return float(np.maximum(0, 1 - public_transport_share() - cycling_share()))


@component.add(name="car occupancy", units="dmnl", comp_type="Constant", comp_subtype="Normal")
def car_occupancy():
    """
    Passengers per car (vehicle-km = passenger-km / occupancy). Source: RVU about 1.5.
    """
    return 1.5


@component.add(
    name="car vehicle km",
    units="km/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"passenger_km": 1, "car_share": 1, "car_occupancy": 1},
)
def car_vehicle_km():
    """
    Vehicle-km by car per year.
    """
    return passenger_km() * car_share() / car_occupancy()


@component.add(
    name="km per car",
    units="km/(year*vehicle)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def km_per_car():
    """
    Yearly distance per car. Source: SSB about 12 000 km.
    """
    return 12000


@component.add(
    name="cars needed",
    units="vehicle",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"car_vehicle_km": 1, "km_per_car": 1},
)
def cars_needed():
    """
    Fleet that the car travel needs.
    """
    return car_vehicle_km() / km_per_car()


@component.add(
    name="initial electric car share",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_electric_car_share():
    """
    Electric share of the fleet at the start (KPI EC: I: T: 8A when given).
    """
    return 0.2


@component.add(name="car lifetime", units="year", comp_type="Constant", comp_subtype="Normal")
def car_lifetime():
    """
    Average car life. Source: SSB about 15-18 years.
    """
    return 15


@component.add(
    name="car sales",
    units="vehicle/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "combustion_car_scrapping": 1,
        "electric_car_scrapping": 1,
        "electric_cars": 1,
        "fleet_adjustment_time": 1,
        "combustion_cars": 1,
        "cars_needed": 1,
    },
)
def car_sales():
    """
    New cars per year.
    """
    return float(
        np.maximum(
            0,
            combustion_car_scrapping()
            + electric_car_scrapping()
            + (cars_needed() - combustion_cars() - electric_cars()) / fleet_adjustment_time(),
        )
    )


@component.add(
    name="fleet adjustment time",
    units="year",
    comp_type="Constant",
    comp_subtype="Normal",
)
def fleet_adjustment_time():
    """
    Time for the fleet to follow travel. Assumption.
    """
    return 2


@component.add(name="EV share of sales", units="dmnl", comp_type="Constant", comp_subtype="Normal")
def ev_share_of_sales():
    """
    POLICY LEVER (range 0-1): electric share of new cars (Norway 2023: about 0.8).
    """
    return 0.5


@component.add(
    name="Low carbon vehicle share",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electric_cars": 2, "combustion_cars": 1},
)
def low_carbon_vehicle_share():
    """
    KPI EC: I: T: 8A, percent of the car fleet that is electric.
    """
    return 100 * electric_cars() / (electric_cars() + combustion_cars())


@component.add(
    name="electric fraction",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electric_cars": 2, "combustion_cars": 1},
)
def electric_fraction():
    """
    Electric share of the fleet.
    """
    return electric_cars() / (electric_cars() + combustion_cars())


@component.add(name="fuel per km", units="kWh/km", comp_type="Constant", comp_subtype="Normal")
def fuel_per_km():
    """
    Fuel energy per car-km, combustion. Assumption (about 6 l/100 km).
    """
    return 0.6


@component.add(
    name="electricity per km",
    units="kWh/km",
    comp_type="Constant",
    comp_subtype="Normal",
)
def electricity_per_km():
    """
    Electricity per car-km, electric. Assumption.
    """
    return 0.2


@component.add(
    name="car fuel energy",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"car_vehicle_km": 1, "electric_fraction": 1, "fuel_per_km": 1},
)
def car_fuel_energy():
    """
    Petrol and diesel used.
    """
    return car_vehicle_km() * (1 - electric_fraction()) * fuel_per_km()


@component.add(
    name="EV electricity",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"car_vehicle_km": 1, "electric_fraction": 1, "electricity_per_km": 1},
)
def ev_electricity():
    """
    Electricity for electric cars.
    """
    return car_vehicle_km() * electric_fraction() * electricity_per_km()


@component.add(
    name="public transport energy per km",
    units="kWh/km",
    comp_type="Constant",
    comp_subtype="Normal",
)
def public_transport_energy_per_km():
    """
    Energy per public-transport passenger-km. Assumption (bus/tram mix).
    """
    return 0.15


@component.add(
    name="public transport electric share",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def public_transport_electric_share():
    """
    Electric share of public transport energy. Assumption.
    """
    return 0.5


@component.add(
    name="public transport energy",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "passenger_km": 1,
        "public_transport_share": 1,
        "public_transport_energy_per_km": 1,
    },
)
def public_transport_energy():
    """
    Energy for public transport.
    """
    return passenger_km() * public_transport_share() * public_transport_energy_per_km()


@component.add(
    name="public transport electricity",
    units="kWh/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"public_transport_energy": 1, "public_transport_electric_share": 1},
)
def public_transport_electricity():
    """
    Electric part.
    """
    return public_transport_energy() * public_transport_electric_share()


@component.add(
    name="water use per person",
    units="m^3/(person*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def water_use_per_person():
    """
    Water billed per resident, homes and services. KPI EN: EN: WS: 2C (litres per day, x 0.365) when given; assumption otherwise (about 190 l/day).
    """
    return 70


@component.add(
    name="water demand",
    units="m^3/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "water_use_per_person": 1},
)
def water_demand():
    """
    Water used.
    """
    return population() * water_use_per_person()


@component.add(
    name="initial water loss fraction",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_water_loss_fraction():
    """
    KPI EC: I: WS: 3C (percent / 100) when given; assumption otherwise.
    """
    return 0.3


@component.add(
    name="maximum water loss fraction",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def maximum_water_loss_fraction():
    """
    Loss a neglected network drifts toward. Assumption.
    """
    return 0.6


@component.add(
    name="minimum water loss fraction",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def minimum_water_loss_fraction():
    """
    Loss that cannot be repaired away economically. Assumption.
    """
    return 0.08


@component.add(name="ageing rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def ageing_rate():
    """
    Assumption.
    """
    return 0.02


@component.add(name="leak repair rate", units="1/year", comp_type="Constant", comp_subtype="Normal")
def leak_repair_rate():
    """
    POLICY LEVER (range 0.02-0.3): share of repairable loss fixed each year.
    """
    return 0.05


@component.add(
    name="water supplied",
    units="m^3/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"water_demand": 1, "water_loss_fraction": 1},
)
def water_supplied():
    """
    Water put into the network.
    """
    return water_demand() / (1 - water_loss_fraction())


@component.add(
    name="Water supply loss",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"water_loss_fraction": 1},
)
def water_supply_loss():
    """
    KPI EC: I: WS: 3C, percent.
    """
    return 100 * water_loss_fraction()


@component.add(
    name="Water consumption per capita",
    units="l/(person*day)",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "water_demand": 1,
        "population": 1,
        "m3_per_litre": 1,
        "days_per_year": 1,
    },
)
def water_consumption_per_capita():
    """
    KPI EN: EN: WS: 2C, litres per resident per day.
    """
    return water_demand() / population() / m3_per_litre() / days_per_year()


@component.add(name="m3 per litre", units="m^3/l", comp_type="Constant", comp_subtype="Normal")
def m3_per_litre():
    """
    Unit conversion.
    """
    return 0.001


@component.add(name="days per year", units="day/year", comp_type="Constant", comp_subtype="Normal")
def days_per_year():
    """
    Unit conversion.
    """
    return 365


@component.add(
    name="waste per person",
    units="t/(person*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def waste_per_person():
    """
    Municipal solid waste per resident. Source: SSB 2022, about 0.45 t.
    """
    return 0.45


@component.add(
    name="waste generated",
    units="t/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "waste_per_person": 1},
)
def waste_generated():
    """
    Municipal solid waste.
    """
    return population() * waste_per_person()


@component.add(
    name="initial recycling rate",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def initial_recycling_rate():
    """
    KPI EN: EN: WA: 1C (recycled percent / 100) when given; assumption otherwise.
    """
    return 0.4


@component.add(
    name="recycling programme",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def recycling_programme():
    """
    POLICY LEVER (range 0-1): sorting at source, deposit schemes; 1 reaches the best-practice rate.
    """
    return 0


@component.add(
    name="best practice recycling rate",
    units="dmnl",
    comp_type="Constant",
    comp_subtype="Normal",
)
def best_practice_recycling_rate():
    """
    Rate the best cities reach. Assumption (EU 2035 target 0.65).
    """
    return 0.7


@component.add(
    name="target recycling rate",
    units="dmnl",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "initial_recycling_rate": 2,
        "best_practice_recycling_rate": 1,
        "recycling_programme": 1,
    },
)
def target_recycling_rate():
    """
    Rate the programme aims at.
    """
    return initial_recycling_rate() + (
        best_practice_recycling_rate() - initial_recycling_rate()
    ) * float(np.minimum(1, float(np.maximum(0, recycling_programme()))))


@component.add(name="programme time", units="year", comp_type="Constant", comp_subtype="Normal")
def programme_time():
    """
    Time for a programme to take effect. Assumption.
    """
    return 5


@component.add(
    name="residual waste",
    units="t/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"waste_generated": 1, "recycling_rate": 1},
)
def residual_waste():
    """
    Waste incinerated or landfilled.
    """
    return waste_generated() * (1 - recycling_rate())


@component.add(
    name="grid emission factor",
    units="tCO2e/kWh",
    comp_type="Constant",
    comp_subtype="Normal",
)
def grid_emission_factor():
    """
    Emissions of non-renewable grid electricity (gas/coal mix). Assumption (EU fossil mix about 0.4 kg/kWh).
    """
    return 0.0004


@component.add(
    name="heat fuel emission factor",
    units="tCO2e/kWh",
    comp_type="Constant",
    comp_subtype="Normal",
)
def heat_fuel_emission_factor():
    """
    Oil and gas for heat. Source: IPCC 2006 defaults about 0.25 kg/kWh.
    """
    return 0.00025


@component.add(
    name="car fuel emission factor",
    units="tCO2e/kWh",
    comp_type="Constant",
    comp_subtype="Normal",
)
def car_fuel_emission_factor():
    """
    Petrol and diesel. Source: IPCC 2006 defaults.
    """
    return 0.00026


@component.add(
    name="residual waste emission factor",
    units="tCO2e/t",
    comp_type="Constant",
    comp_subtype="Normal",
)
def residual_waste_emission_factor():
    """
    Incineration/landfill of residual waste. Assumption.
    """
    return 0.3


@component.add(
    name="water emission factor",
    units="tCO2e/m^3",
    comp_type="Constant",
    comp_subtype="Normal",
)
def water_emission_factor():
    """
    Pumping and treatment, non-electric part. Assumption.
    """
    return 0.0001


@component.add(
    name="other emissions per person",
    units="tCO2e/(person*year)",
    comp_type="Constant",
    comp_subtype="Normal",
)
def other_emissions_per_person():
    """
    Emissions the model does not detail (industry, shipping, machinery). Calibrated from the GHG KPI when given.
    """
    return 0.5


@component.add(
    name="electricity emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "grid_electricity": 1,
        "grid_renewable_share": 1,
        "grid_emission_factor": 1,
    },
)
def electricity_emissions():
    """
    Grid electricity.
    """
    return grid_electricity() * (1 - grid_renewable_share()) * grid_emission_factor()


@component.add(
    name="heat emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"fossil_heat": 1, "heat_fuel_emission_factor": 1},
)
def heat_emissions():
    """
    Fossil heat.
    """
    return fossil_heat() * heat_fuel_emission_factor()


@component.add(
    name="transport emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "car_fuel_energy": 1,
        "public_transport_electric_share": 1,
        "public_transport_energy": 1,
        "car_fuel_emission_factor": 1,
    },
)
def transport_emissions():
    """
    Cars and diesel buses.
    """
    return (
        car_fuel_energy() + public_transport_energy() * (1 - public_transport_electric_share())
    ) * car_fuel_emission_factor()


@component.add(
    name="waste emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"residual_waste": 1, "residual_waste_emission_factor": 1},
)
def waste_emissions():
    """
    Residual waste.
    """
    return residual_waste() * residual_waste_emission_factor()


@component.add(
    name="water emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"water_supplied": 1, "water_emission_factor": 1},
)
def water_emissions():
    """
    Water supply.
    """
    return water_supplied() * water_emission_factor()


@component.add(
    name="GHG emissions",
    units="tCO2e/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "electricity_emissions": 1,
        "heat_emissions": 1,
        "transport_emissions": 1,
        "waste_emissions": 1,
        "water_emissions": 1,
        "population": 1,
        "other_emissions_per_person": 1,
    },
)
def ghg_emissions():
    """
    All emissions in the city's inventory.
    """
    return (
        electricity_emissions()
        + heat_emissions()
        + transport_emissions()
        + waste_emissions()
        + water_emissions()
        + other_emissions_per_person() * population()
    )


@component.add(
    name="GHG emissions per capita",
    units="tCO2e/(person*year)",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"ghg_emissions": 1, "population": 1},
)
def ghg_emissions_per_capita():
    """
    KPI EN: EN: AQ: 2C (tonnes CO2e per resident per year).
    """
    return ghg_emissions() / population()


@component.add(
    name="births",
    units="person/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "birth_rate": 1, "net_migration": 1},
)
def births():
    """
    Births plus net migration into the city per year.
    """
    return population() * birth_rate() + net_migration()


@component.add(
    name="deaths",
    units="person/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"population": 1, "death_rate": 1},
)
def deaths():
    """
    Deaths per year.
    """
    return population() * death_rate()


@component.add(
    name="retrofitting",
    units="m^2/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"conventional_floor_area": 1, "retrofit_rate": 1},
)
def retrofitting():
    """
    Deep energy retrofits per year.
    """
    return float(np.maximum(conventional_floor_area() * retrofit_rate(), 0))


@component.add(
    name="demolition",
    units="m^2/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"conventional_floor_area": 1, "demolition_rate": 1},
)
def demolition():
    """
    Old floor area demolished per year.
    """
    return float(np.maximum(conventional_floor_area() * demolition_rate(), 0))


@component.add(
    name="construction",
    units="m^2/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "demolition": 1,
        "population": 1,
        "floor_area_per_person": 1,
        "efficient_floor_area": 1,
        "construction_time": 1,
        "conventional_floor_area": 1,
    },
)
def construction():
    """
    New floor area: replaces demolition and closes the gap to what residents need; built to the new standard.
    """
    return float(
        np.maximum(
            demolition()
            + float(
                np.maximum(
                    0,
                    population() * floor_area_per_person()
                    - conventional_floor_area()
                    - efficient_floor_area(),
                )
            )
            / construction_time(),
            0,
        )
    )


@component.add(
    name="PV installation",
    units="kW/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "pv_potential": 1,
        "pv_capacity": 1,
        "pv_adoption_rate": 1,
        "pv_support": 1,
    },
)
def pv_installation():
    """
    New rooftop PV per year.
    """
    return float(
        np.maximum(
            float(np.maximum(0, pv_potential() - pv_capacity()))
            * pv_adoption_rate()
            * (1 + pv_support()),
            0,
        )
    )


@component.add(
    name="PV retirement",
    units="kW/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"pv_capacity": 1, "pv_lifetime": 1},
)
def pv_retirement():
    """
    Panels retired at end of life (replaced through installation).
    """
    return float(np.maximum(pv_capacity() / pv_lifetime(), 0))


@component.add(
    name="grid greening",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"grid_renewable_share": 1, "grid_decarbonisation_rate": 1},
)
def grid_greening():
    """
    Yearly rise of the grid's renewable share.
    """
    return float(np.maximum((1 - grid_renewable_share()) * grid_decarbonisation_rate(), 0))


@component.add(
    name="cycle network construction",
    units="km/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"cycling_network_programme": 1},
)
def cycle_network_construction():
    """
    New cycle network per year.
    """
    return float(np.maximum(cycling_network_programme(), 0))


@component.add(
    name="public transport shift",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "target_public_transport_share": 1,
        "public_transport_share": 1,
        "behaviour_change_time": 1,
    },
)
def public_transport_shift():
    """
    Gradual shift of travel habits.
    """
    return (target_public_transport_share() - public_transport_share()) / behaviour_change_time()


@component.add(
    name="cycling shift",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "target_cycling_share": 1,
        "cycling_share": 1,
        "behaviour_change_time": 1,
    },
)
def cycling_shift():
    """
    Gradual shift of travel habits.
    """
    return (target_cycling_share() - cycling_share()) / behaviour_change_time()


@component.add(
    name="combustion car scrapping",
    units="vehicle/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"combustion_cars": 1, "car_lifetime": 1},
)
def combustion_car_scrapping():
    """
    Cars scrapped.
    """
    return float(np.maximum(combustion_cars() / car_lifetime(), 0))


@component.add(
    name="electric car scrapping",
    units="vehicle/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"electric_cars": 1, "car_lifetime": 1},
)
def electric_car_scrapping():
    """
    Cars scrapped.
    """
    return float(np.maximum(electric_cars() / car_lifetime(), 0))


@component.add(
    name="electric car sales",
    units="vehicle/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"car_sales": 1, "ev_share_of_sales": 1},
)
def electric_car_sales():
    """
    New electric cars.
    """
    return float(np.maximum(car_sales() * ev_share_of_sales(), 0))


@component.add(
    name="combustion car sales",
    units="vehicle/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"car_sales": 1, "ev_share_of_sales": 1},
)
def combustion_car_sales():
    """
    New combustion cars.
    """
    return float(np.maximum(car_sales() * (1 - ev_share_of_sales()), 0))


@component.add(
    name="network ageing",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "maximum_water_loss_fraction": 1,
        "water_loss_fraction": 1,
        "ageing_rate": 1,
    },
)
def network_ageing():
    """
    Leaks that appear as pipes age.
    """
    return float(
        np.maximum((maximum_water_loss_fraction() - water_loss_fraction()) * ageing_rate(), 0)
    )


@component.add(
    name="leak repair",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={
        "water_loss_fraction": 1,
        "minimum_water_loss_fraction": 1,
        "leak_repair_rate": 1,
    },
)
def leak_repair():
    """
    Leaks found and fixed.
    """
    return float(
        np.maximum(
            (water_loss_fraction() - minimum_water_loss_fraction()) * leak_repair_rate(),
            0,
        )
    )


@component.add(
    name="recycling improvement",
    units="1/year",
    comp_type="Auxiliary",
    comp_subtype="Normal",
    depends_on={"target_recycling_rate": 1, "recycling_rate": 1, "programme_time": 1},
)
def recycling_improvement():
    """
    Change of the recycling rate.
    """
    return (target_recycling_rate() - recycling_rate()) / programme_time()


@component.add(
    name="Population",
    units="person",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_population": 1},
    other_deps={
        "_integ_population": {
            "initial": {"initial_population": 1},
            "step": {"births": 1, "deaths": 1},
        }
    },
)
def population():
    """
    Residents. Starts from the city's population.
    """
    return _integ_population()


_integ_population = NonNegativeInteg(
    lambda: births() - deaths(), lambda: initial_population(), "_integ_population"
)


@component.add(
    name="Conventional floor area",
    units="m^2",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_conventional_floor_area": 1},
    other_deps={
        "_integ_conventional_floor_area": {
            "initial": {
                "initial_population": 1,
                "floor_area_per_person": 1,
                "initial_efficient_share": 1,
            },
            "step": {"retrofitting": 1, "demolition": 1},
        }
    },
)
def conventional_floor_area():
    """
    Floor area at the old energy standard.
    """
    return _integ_conventional_floor_area()


_integ_conventional_floor_area = NonNegativeInteg(
    lambda: -retrofitting() - demolition(),
    lambda: initial_population() * floor_area_per_person() * (1 - initial_efficient_share()),
    "_integ_conventional_floor_area",
)


@component.add(
    name="Efficient floor area",
    units="m^2",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_efficient_floor_area": 1},
    other_deps={
        "_integ_efficient_floor_area": {
            "initial": {
                "initial_population": 1,
                "floor_area_per_person": 1,
                "initial_efficient_share": 1,
            },
            "step": {"retrofitting": 1, "construction": 1},
        }
    },
)
def efficient_floor_area():
    """
    Floor area new or retrofitted to a low-energy standard.
    """
    return _integ_efficient_floor_area()


_integ_efficient_floor_area = NonNegativeInteg(
    lambda: retrofitting() + construction(),
    lambda: initial_population() * floor_area_per_person() * initial_efficient_share(),
    "_integ_efficient_floor_area",
)


@component.add(
    name="PV capacity",
    units="kW",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_pv_capacity": 1},
    other_deps={
        "_integ_pv_capacity": {
            "initial": {"initial_pv_capacity": 1},
            "step": {"pv_installation": 1, "pv_retirement": 1},
        }
    },
)
def pv_capacity():
    """
    Installed rooftop solar PV.
    """
    return _integ_pv_capacity()


_integ_pv_capacity = NonNegativeInteg(
    lambda: pv_installation() - pv_retirement(),
    lambda: initial_pv_capacity(),
    "_integ_pv_capacity",
)


@component.add(
    name="Grid renewable share",
    units="dmnl",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_grid_renewable_share": 1},
    other_deps={
        "_integ_grid_renewable_share": {
            "initial": {"initial_grid_renewable_share": 1},
            "step": {"grid_greening": 1},
        }
    },
)
def grid_renewable_share():
    """
    Renewable share of electricity taken from the grid.
    """
    return _integ_grid_renewable_share()


_integ_grid_renewable_share = NonNegativeInteg(
    lambda: grid_greening(),
    lambda: initial_grid_renewable_share(),
    "_integ_grid_renewable_share",
)


@component.add(
    name="Cycle network",
    units="km",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_cycle_network": 1},
    other_deps={
        "_integ_cycle_network": {
            "initial": {"initial_cycle_network": 1},
            "step": {"cycle_network_construction": 1},
        }
    },
)
def cycle_network():
    """
    Dedicated cycle lanes and paths.
    """
    return _integ_cycle_network()


_integ_cycle_network = NonNegativeInteg(
    lambda: cycle_network_construction(),
    lambda: initial_cycle_network(),
    "_integ_cycle_network",
)


@component.add(
    name="Public transport share",
    units="dmnl",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_public_transport_share": 1},
    other_deps={
        "_integ_public_transport_share": {
            "initial": {"base_public_transport_share": 1},
            "step": {"public_transport_shift": 1},
        }
    },
)
def public_transport_share():
    """
    Public transport share of passenger-km.
    """
    return _integ_public_transport_share()


_integ_public_transport_share = Integ(
    lambda: public_transport_shift(),
    lambda: base_public_transport_share(),
    "_integ_public_transport_share",
)


@component.add(
    name="Cycling share",
    units="dmnl",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_cycling_share": 1},
    other_deps={
        "_integ_cycling_share": {
            "initial": {"base_cycling_share": 1},
            "step": {"cycling_shift": 1},
        }
    },
)
def cycling_share():
    """
    Cycling and walking share of passenger-km.
    """
    return _integ_cycling_share()


_integ_cycling_share = Integ(
    lambda: cycling_shift(), lambda: base_cycling_share(), "_integ_cycling_share"
)


@component.add(
    name="Combustion cars",
    units="vehicle",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_combustion_cars": 1},
    other_deps={
        "_integ_combustion_cars": {
            "initial": {"cars_needed": 1, "initial_electric_car_share": 1},
            "step": {"combustion_car_sales": 1, "combustion_car_scrapping": 1},
        }
    },
)
def combustion_cars():
    """
    Petrol, diesel and hybrid cars.
    """
    return _integ_combustion_cars()


_integ_combustion_cars = NonNegativeInteg(
    lambda: combustion_car_sales() - combustion_car_scrapping(),
    lambda: cars_needed() * (1 - initial_electric_car_share()),
    "_integ_combustion_cars",
)


@component.add(
    name="Electric cars",
    units="vehicle",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_electric_cars": 1},
    other_deps={
        "_integ_electric_cars": {
            "initial": {"cars_needed": 1, "initial_electric_car_share": 1},
            "step": {"electric_car_sales": 1, "electric_car_scrapping": 1},
        }
    },
)
def electric_cars():
    """
    Battery-electric cars.
    """
    return _integ_electric_cars()


_integ_electric_cars = NonNegativeInteg(
    lambda: electric_car_sales() - electric_car_scrapping(),
    lambda: cars_needed() * initial_electric_car_share(),
    "_integ_electric_cars",
)


@component.add(
    name="Water loss fraction",
    units="dmnl",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_water_loss_fraction": 1},
    other_deps={
        "_integ_water_loss_fraction": {
            "initial": {"initial_water_loss_fraction": 1},
            "step": {"network_ageing": 1, "leak_repair": 1},
        }
    },
)
def water_loss_fraction():
    """
    Share of water put into the network that is lost (leaks).
    """
    return _integ_water_loss_fraction()


_integ_water_loss_fraction = NonNegativeInteg(
    lambda: network_ageing() - leak_repair(),
    lambda: initial_water_loss_fraction(),
    "_integ_water_loss_fraction",
)


@component.add(
    name="Recycling rate",
    units="dmnl",
    comp_type="Stateful",
    comp_subtype="Integ",
    depends_on={"_integ_recycling_rate": 1},
    other_deps={
        "_integ_recycling_rate": {
            "initial": {"initial_recycling_rate": 1},
            "step": {"recycling_improvement": 1},
        }
    },
)
def recycling_rate():
    """
    Share of waste recycled or composted.
    """
    return _integ_recycling_rate()


_integ_recycling_rate = NonNegativeInteg(
    lambda: recycling_improvement(),
    lambda: initial_recycling_rate(),
    "_integ_recycling_rate",
)
